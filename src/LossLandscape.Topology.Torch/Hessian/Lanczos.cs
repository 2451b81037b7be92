using MathNet.Numerics.LinearAlgebra;

namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>
/// Lanczos with full reorthogonalisation for the largest eigenpairs. After each step the Ritz values of the
/// tridiagonal matrix are checked: eigenvalue i is done when min(rᵢ, rᵢ²/gapᵢ) ≤ tol·|θᵢ|, with rᵢ = βₘ|sₘᵢ| the
/// residual norm of its Ritz pair and gapᵢ the distance to the nearest other Ritz value, and when θᵢ moved by
/// no more than tol·|θᵢ| in the last step. At least count + 1 steps are taken, so that a gap exists.
/// </summary>
internal static class Lanczos
{
    public static HessianEigenpairs TopEigenpairs(ISymmetricOperator a, int count, double tolerance, int maxProducts, double[] start, IProgress<HessianProgress>? progress, CancellationToken cancellationToken)
    {
        int n = a.Dimension;
        count = Math.Min(count, n);
        maxProducts = Math.Min(maxProducts, n);
        var basis = new List<double[]>();
        var alpha = new List<double>();
        var beta = new List<double>();
        double[] q = (double[])start.Clone();
        VectorMath.Normalize(q);
        var w = new double[n];
        (double[] Values, Matrix<double> Vectors, double[] Errors) ritz = ([], Matrix<double>.Build.Dense(1, 1), []);
        double[] previous = [];
        bool converged = false;
        for (int j = 0; j < maxProducts; j++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            basis.Add(q);
            a.Multiply(q, w);
            progress?.Report(new HessianProgress(j + 1, maxProducts));
            double aj = VectorMath.Dot(w, q);
            alpha.Add(aj);

            // Full reorthogonalisation, twice ("twice is enough"): w ⟂ every basis vector to working precision.
            VectorMath.Orthogonalize(w, basis);
            VectorMath.Orthogonalize(w, basis);
            double bj = VectorMath.Norm(w);
            ritz = Ritz(alpha, beta, bj, count);
            bool invariant = bj <= 1e-14 * Math.Max(1, Math.Abs(ritz.Values[0]));
            bool settled = alpha.Count > count && Enumerable.Range(0, count).All(i =>
                ritz.Errors[i] <= tolerance * Math.Abs(ritz.Values[i])
                && Math.Abs(ritz.Values[i] - previous[i]) <= tolerance * Math.Abs(ritz.Values[i]));
            if ((invariant && alpha.Count >= count) || settled)
            {
                converged = true;
                break;
            }

            previous = ritz.Values;

            if (invariant)
            {
                break; // an invariant subspace smaller than count: nothing more to find from this start
            }

            beta.Add(bj);
            q = (double[])w.Clone();
            VectorMath.Scale(q, 1 / bj);
        }

        int found = Math.Min(count, ritz.Values.Length);
        var vectors = new double[found][];
        for (int i = 0; i < found; i++)
        {
            var v = new double[n];
            for (int k = 0; k < basis.Count; k++)
            {
                VectorMath.Axpy(ritz.Vectors[k, i], basis[k], v);
            }

            VectorMath.ToUnitEigenvector(v);
            vectors[i] = v;
        }

        return new HessianEigenpairs(ritz.Values[..found], vectors, ritz.Errors[..found], basis.Count, converged);
    }

    /// <summary>Eigenvalues (descending), eigenvectors and error estimates of the tridiagonal matrix so far.</summary>
    private static (double[] Values, Matrix<double> Vectors, double[] Errors) Ritz(List<double> alpha, List<double> beta, double nextBeta, int count)
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

/// <summary>Eigen-decomposition of a symmetric tridiagonal matrix.</summary>
internal static class Tridiagonal
{
    /// <summary>Eigenvalues in ascending order and the matching eigenvectors (columns).</summary>
    public static (double[] Values, Matrix<double> Vectors) Eigen(IReadOnlyList<double> alpha, IReadOnlyList<double> beta)
    {
        int m = alpha.Count;
        Matrix<double> t = Matrix<double>.Build.Dense(m, m);
        for (int i = 0; i < m; i++)
        {
            t[i, i] = alpha[i];
            if (i + 1 < m)
            {
                t[i, i + 1] = beta[i];
                t[i + 1, i] = beta[i];
            }
        }

        var evd = t.Evd(Symmetricity.Symmetric);
        double[] values = evd.EigenValues.Select(c => c.Real).ToArray();
        int[] order = Enumerable.Range(0, m).OrderBy(i => values[i]).ToArray();
        return (order.Select(i => values[i]).ToArray(), Matrix<double>.Build.Dense(m, m, (r, c) => evd.EigenVectors[r, order[c]]));
    }
}
