using MathNet.Numerics.LinearAlgebra;

namespace LossLandscape.Topology.Spectra;

/// <summary>Eigen-decomposition of a symmetric tridiagonal matrix (MathNet's symmetric eigensolver).</summary>
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
