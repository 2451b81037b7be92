using System.Collections.Immutable;

namespace LossLandscape.Topology.Spectra;

/// <summary>
/// Stochastic Lanczos quadrature as PyHessian's <c>density</c> computes it: per run, m steps of the Lanczos
/// recurrence from a normalised Rademacher start, each new vector orthogonalised once against all earlier ones
/// (Gram–Schmidt) and normalised by ‖w‖ + ε, β taken before that; nodes are the eigenvalues of the tridiagonal matrix and weights the
/// squared first components of its eigenvectors.
/// </summary>
internal static class StochasticLanczosQuadrature
{
    public static SpectralDensity Run(ISymmetricOperator a, int steps, IReadOnlyList<double[]> starts, double epsilon, IProgress<OperatorProgress>? progress, CancellationToken cancellationToken)
    {
        steps = Math.Min(steps, a.Dimension);
        int products = 0;
        int budget = steps * starts.Count;
        var nodes = new ImmutableArray<double>[starts.Count];
        var weights = new ImmutableArray<double>[starts.Count];
        var alphas = new ImmutableArray<double>[starts.Count];
        var betas = new ImmutableArray<double>[starts.Count];
        for (int run = 0; run < starts.Count; run++)
        {
            var recurrence = new LanczosRecurrence(a, starts[run], reorthogonalizationPasses: 1, epsilon, betaBeforePasses: true);
            for (int i = 0; i < steps; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i > 0)
                {
                    recurrence.Extend();
                }

                recurrence.Step();
                products++;
                progress?.Report(new OperatorProgress(products, budget));
            }

            (double[] values, var vectors) = Tridiagonal.Eigen(recurrence.Alpha, recurrence.Beta);
            nodes[run] = [.. values];
            weights[run] = [.. Enumerable.Range(0, values.Length).Select(k => vectors[0, k] * vectors[0, k])];
            alphas[run] = [.. recurrence.Alpha];
            betas[run] = [.. recurrence.Beta];
        }

        return new SpectralDensity([.. nodes], [.. weights], [.. alphas], [.. betas], products);
    }
}
