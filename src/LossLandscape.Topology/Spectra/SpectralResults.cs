using System.Collections.Immutable;

namespace LossLandscape.Topology.Spectra;

/// <summary>Progress of a spectral computation, counted in operator products (Hessian-vector products, for a Hessian).</summary>
/// <param name="Products">Products done.</param>
/// <param name="Budget">The most products the computation may spend.</param>
public readonly record struct OperatorProgress(int Products, int Budget);

/// <summary>Eigenpairs of a symmetric operator, largest eigenvalue first.</summary>
/// <param name="Eigenvalues">The eigenvalues, descending.</param>
/// <param name="Eigenvectors">Unit eigenvectors (for a Hessian: flat, in parameter order), the entry of largest magnitude positive.</param>
/// <param name="ErrorEstimates">An estimate of each eigenvalue's absolute error (Lanczos: from the residual and the gap; power iteration: the last change).</param>
/// <param name="Products">Operator products spent.</param>
/// <param name="Converged">True when every eigenvalue met the tolerance within the budget.</param>
public sealed record Eigenpairs(ImmutableArray<double> Eigenvalues, ImmutableArray<ImmutableArray<double>> Eigenvectors, ImmutableArray<double> ErrorEstimates, int Products, bool Converged);

/// <summary>A stochastic estimate of an operator's trace.</summary>
/// <param name="Estimate">The estimate.</param>
/// <param name="StandardError">Its standard error (sample standard deviation of the random part / √samples).</param>
/// <param name="Products">Operator products spent.</param>
/// <param name="Samples">The per-probe values vᵀAv of the random part (Hutchinson: all of them).</param>
public sealed record TraceEstimate(double Estimate, double StandardError, int Products, ImmutableArray<double> Samples);

/// <summary>
/// The eigenvalue spectral density by stochastic Lanczos quadrature: per run, the Ritz values of an m-step
/// Lanczos tridiagonal (nodes) with the squared first components of their eigenvectors (weights, summing to 1).
/// </summary>
/// <param name="Nodes">Per run, the nodes in ascending order.</param>
/// <param name="Weights">Per run, the weights of the nodes.</param>
/// <param name="Alpha">Per run, the Lanczos diagonal.</param>
/// <param name="Beta">Per run, the Lanczos off-diagonal.</param>
/// <param name="Products">Operator products spent.</param>
public sealed record SpectralDensity(
    ImmutableArray<ImmutableArray<double>> Nodes,
    ImmutableArray<ImmutableArray<double>> Weights,
    ImmutableArray<ImmutableArray<double>> Alpha,
    ImmutableArray<ImmutableArray<double>> Beta,
    int Products)
{
    /// <summary>
    /// The density as a curve, each node broadened by a Gaussian (PyHessian's <c>density_generate</c>): the grid runs
    /// from the mean over runs of the smallest node minus <paramref name="overhead"/> to the mean largest node plus it;
    /// every Gaussian has variance <paramref name="sigmaSquared"/> · max(1, grid width); the curve is averaged over runs
    /// and scaled to unit area on the grid (a Riemann sum with the grid step).
    /// </summary>
    /// <param name="bins">Grid points (≥ 2).</param>
    /// <param name="sigmaSquared">Variance of the broadening per unit of grid width.</param>
    /// <param name="overhead">Margin added at both ends of the grid.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of its range (named).</exception>
    public SmoothedDensity Smooth(int bins = 10000, double sigmaSquared = 1e-5, double overhead = 0.01)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigmaSquared);
        ArgumentOutOfRangeException.ThrowIfNegative(overhead);
        if (Nodes.IsDefaultOrEmpty)
        {
            throw new InvalidOperationException("The density has no run to smooth.");
        }

        double high = Nodes.Average(n => n.Max()) + overhead;
        double low = Nodes.Average(n => n.Min()) - overhead;
        double variance = sigmaSquared * Math.Max(1, high - low);
        var grid = new double[bins];
        var density = new double[bins];
        double step = (high - low) / (bins - 1);
        for (int j = 0; j < bins; j++)
        {
            grid[j] = low + (j * step);
        }

        for (int r = 0; r < Nodes.Length; r++)
        {
            for (int j = 0; j < bins; j++)
            {
                double sum = 0;
                for (int i = 0; i < Nodes[r].Length; i++)
                {
                    double d = Nodes[r][i] - grid[j];
                    sum += Weights[r][i] * Math.Exp(-d * d / (2 * variance)) / Math.Sqrt(2 * Math.PI * variance);
                }

                density[j] += sum / Nodes.Length;
            }
        }

        double area = density.Sum() * step;
        for (int j = 0; j < bins; j++)
        {
            density[j] /= area;
        }

        return new SmoothedDensity([.. grid], [.. density]);
    }
}

/// <summary>A spectral density as a curve on an even grid of eigenvalues.</summary>
/// <param name="Grid">The eigenvalues, ascending and evenly spaced.</param>
/// <param name="Density">The density at each grid point.</param>
public sealed record SmoothedDensity(ImmutableArray<double> Grid, ImmutableArray<double> Density);
