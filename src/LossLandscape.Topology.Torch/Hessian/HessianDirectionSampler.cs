using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Parameters;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>
/// The top-k Hessian eigenvectors as landscape directions (k = 2 in the paper; 3–10 for higher-dimensional
/// landscapes), found by Lanczos at the model's current parameters.
/// </summary>
public sealed class HessianDirectionSampler : IDirectionSampler
{
    /// <summary>Creates a sampler for the Hessian of <paramref name="loss"/>.</summary>
    public HessianDirectionSampler(ILossFunction loss, LanczosOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Loss = loss;
        Options = options ?? new LanczosOptions();
    }

    /// <summary>The loss whose Hessian is used.</summary>
    public ILossFunction Loss { get; }

    /// <summary>Lanczos options.</summary>
    public LanczosOptions Options { get; }

    /// <summary>The eigenpairs of the last <see cref="Sample"/> call.</summary>
    public HessianEigenpairs? LastEigenpairs { get; private set; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="model"/> is not the loss's model.</exception>
    public DirectionSet Sample(nn.Module model, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!ReferenceEquals(model, Loss.Model))
        {
            throw new ArgumentException("The model must be the one the loss function evaluates.", nameof(model));
        }

        using var analyzer = new HessianAnalyzer(Loss);
        HessianEigenpairs pairs = analyzer.TopEigenpairs(count, Options);
        LastEigenpairs = pairs;
        string values = string.Join(", ", pairs.Eigenvalues.Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)));
        return new DirectionSet(ParameterLayout.Of(model), pairs.Eigenvectors, null, $"top {count} Hessian eigenvectors (eigenvalues {values}; {pairs.Products} products)");
    }
}
