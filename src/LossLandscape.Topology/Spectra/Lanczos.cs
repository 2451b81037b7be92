using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace LossLandscape.Topology.Spectra;

/// <summary>
/// Lanczos with full reorthogonalisation for the largest eigenpairs. After each step the Ritz values of the
/// tridiagonal matrix are checked: eigenvalue i is done when min(rᵢ, rᵢ²/gapᵢ) ≤ tol·|θᵢ|, with rᵢ = βₘ|sₘᵢ| the
/// residual norm of its Ritz pair and gapᵢ the distance to the nearest other Ritz value, and when θᵢ moved by
/// no more than tol·|θᵢ| in the last step. At least count + 1 steps are taken, so that a gap exists.
/// </summary>
internal static class Lanczos
{
    public static Eigenpairs TopEigenpairs(ISymmetricOperator a, int count, double tolerance, int maxProducts, ReadOnlySpan<double> start, IProgress<OperatorProgress>? progress, CancellationToken cancellationToken)
    {
        int n = a.Dimension;
        count = Math.Min(count, n);
        maxProducts = Math.Min(maxProducts, n);
        var recurrence = new LanczosRecurrence(a, start, reorthogonalizationPasses: 2, epsilon: 0);
        (double[] Values, Matrix<double> Vectors, double[] Errors) ritz = ([], Matrix<double>.Build.Dense(1, 1), []);
        double[] previous = [];
        bool converged = false;
        for (int j = 0; j < maxProducts; j++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            recurrence.Step();
            progress?.Report(new OperatorProgress(j + 1, maxProducts));
            double bj = recurrence.NextBeta;
            ritz = Ritz(recurrence.Alpha, recurrence.Beta, bj);
            bool invariant = bj <= 1e-14 * Math.Max(1, Math.Abs(ritz.Values[0]));
            bool settled = recurrence.Alpha.Count > count && Enumerable.Range(0, count).All(i =>
                ritz.Errors[i] <= tolerance * Math.Abs(ritz.Values[i])
                && Math.Abs(ritz.Values[i] - previous[i]) <= tolerance * Math.Abs(ritz.Values[i]));
            if ((invariant && recurrence.Alpha.Count >= count) || settled)
            {
                converged = true;
                break;
            }

            previous = ritz.Values;
            if (invariant || j + 1 == maxProducts)
            {
                break; // an invariant subspace smaller than count, or the budget is spent
            }

            recurrence.Extend();
        }

        int found = Math.Min(count, ritz.Values.Length);
        var vectors = ImmutableArray.CreateBuilder<ImmutableArray<double>>(found);
        for (int i = 0; i < found; i++)
        {
            var v = new double[n];
            for (int k = 0; k < recurrence.Alpha.Count; k++)
            {
                SpectralVectors.Axpy(ritz.Vectors[k, i], recurrence.Basis[k], v);
            }

            SpectralVectors.ToUnitEigenvector(v);
            vectors.Add([.. v]);
        }

        return new Eigenpairs([.. ritz.Values[..found]], vectors.MoveToImmutable(), [.. ritz.Errors[..found]], recurrence.Alpha.Count, converged);
    }

    /// <summary>Eigenvalues (descending), eigenvectors and error estimates of the tridiagonal matrix so far.</summary>
    private static (double[] Values, Matrix<double> Vectors, double[] Errors) Ritz(IReadOnlyList<double> alpha, IReadOnlyList<double> beta, double nextBeta)
    {
        int m = alpha.Count;
        (double[] values, Matrix<double> vectors) = Tridiagonal.Eigen(alpha, beta);
        int[] order = Enumerable.Range(0, m).OrderByDescending(i => values[i]).ToArray();
        double[] sorted = order.Select(i => values[i]).ToArray();
        Matrix<double> sortedVectors = Matrix<double>.Build.Dense(m, m, (r, c) => vectors[r, order[c]]);
        var errors = new double[m];
        for (int i = 0; i < m; i++)
        {
            double residual = Math.Abs(nextBeta * sortedVectors[m - 1, i]);
            double gap = double.PositiveInfinity;
            for (int k = 0; k < m; k++)
            {
                if (k != i)
                {
                    gap = Math.Min(gap, Math.Abs(sorted[k] - sorted[i]));
                }
            }

            errors[i] = Math.Min(residual, residual * residual / gap);
        }

        return (sorted, sortedVectors, errors);
    }
}
