using LossLandscape.Topology.Spectra;
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
    public HessianDirectionSampler(IHessianLossFunction loss, LanczosOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Loss = loss;
        Options = options ?? LanczosOptions.Default;
    }

    /// <summary>The loss whose Hessian is used.</summary>
    public IHessianLossFunction Loss { get; }

    /// <summary>Lanczos options.</summary>
    public LanczosOptions Options { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="model"/> is not the loss's model.</exception>
    public DirectionSet Sample(nn.Module model, int count) => SampleWithEigenpairs(model, count).Directions;

    /// <summary>The directions together with the eigenpairs they come from (eigenvalues, error estimates, products).</summary>
    /// <exception cref="ArgumentException"><paramref name="model"/> is not the loss's model.</exception>
    public HessianDirections SampleWithEigenpairs(nn.Module model, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!ReferenceEquals(model, Loss.Model))
        {
            throw new ArgumentException("The model must be the one the loss function evaluates.", nameof(model));
        }

        using var analyzer = new HessianAnalyzer(Loss);
        Eigenpairs pairs = analyzer.TopEigenpairs(count, Options);
        string values = string.Join(", ", pairs.Eigenvalues.Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)));
        var directions = new DirectionSet(ParameterLayout.Of(model), pairs.Eigenvectors.Select(v => v.ToArray()).ToArray(), null, $"top {count} Hessian eigenvectors (eigenvalues {values}; {pairs.Products} products)");
        return new HessianDirections(directions, pairs);
    }
}

/// <summary>Hessian eigenvectors as directions, with the eigenpairs they come from.</summary>
/// <param name="Directions">The unit eigenvectors as a direction set.</param>
/// <param name="Eigenpairs">The eigenpairs (eigenvalues descending).</param>
public sealed record HessianDirections(DirectionSet Directions, Eigenpairs Eigenpairs);
