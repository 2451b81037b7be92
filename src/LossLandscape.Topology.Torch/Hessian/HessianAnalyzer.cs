using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Torch.Losses;

namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>
/// Hessian numbers of a loss (stage 6 of the pipeline): the <see cref="SpectralAnalyzer"/> of the loss's
/// <see cref="HessianOperator"/> — top eigenpairs, trace and eigenvalue density, counted in Hessian-vector products.
/// </summary>
/// <remarks>
/// The model's parameters, buffers and training flags are the same afterwards, bit for bit. Dispose the analyzer to
/// free the operator's retained gradient graph.
/// </remarks>
public sealed class HessianAnalyzer : SpectralAnalyzer, IDisposable
{
    private readonly HessianOperator _hessian;

    /// <summary>Analyses the Hessian of <paramref name="loss"/> at the model's current parameters.</summary>
    public HessianAnalyzer(IHessianLossFunction loss)
        : this(new HessianOperator(loss))
    {
    }

    private HessianAnalyzer(HessianOperator hessian)
        : base(hessian) => _hessian = hessian;

    /// <summary>The Hessian operator whose products the methods spend.</summary>
    public HessianOperator Hessian => _hessian;

    /// <inheritdoc />
    public void Dispose() => _hessian.Dispose();
}
