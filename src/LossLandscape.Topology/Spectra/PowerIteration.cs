using System.Collections.Immutable;

namespace LossLandscape.Topology.Spectra;

/// <summary>
/// PyHessian's power iteration with deflation, step for step: for each eigenvalue, start from a vector,
/// then repeat — orthogonalise against the eigenvectors found so far (Gram–Schmidt) and normalise, one product,
/// r = ⟨Av, v⟩, v = normalise(Av) — until |λ − r| / (|λ| + 1e-6) &lt; tol, returning the previous λ. Normalising
/// divides by ‖v‖ + ε (PyHessian's ε = 1e-6, or 0 for exact normalisation).
/// </summary>
internal static class PowerIteration
{
    public static Eigenpairs Run(ISymmetricOperator a, IReadOnlyList<double[]> starts, double tolerance, int maxIterations, double epsilon, IProgress<OperatorProgress>? progress, CancellationToken cancellationToken)
    {
        int n = a.Dimension;
        var values = new double[starts.Count];
        var errors = new double[starts.Count];
        var vectors = new List<double[]>();
        int products = 0;
        bool converged = true;
        int budget = starts.Count * maxIterations;
        var av = new double[n];
        for (int e = 0; e < starts.Count; e++)
        {
            double[] v = (double[])starts[e].Clone();
            SpectralVectors.Normalize(v, epsilon);
            double? eigenvalue = null;
            bool done = false;
            for (int iteration = 0; iteration < maxIterations; iteration++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                SpectralVectors.Orthogonalize(v, vectors);
                SpectralVectors.Normalize(v, epsilon);
                a.Multiply(v, av);
                products++;
                progress?.Report(new OperatorProgress(products, budget));
                double rayleigh = SpectralVectors.Dot(av, v);
                v = (double[])av.Clone();
                SpectralVectors.Normalize(v, epsilon);
                if (eigenvalue is null)
                {
                    eigenvalue = rayleigh;
                    continue;
                }

                errors[e] = Math.Abs(eigenvalue.Value - rayleigh);
                if (errors[e] / (Math.Abs(eigenvalue.Value) + 1e-6) < tolerance)
                {
                    done = true;
                    break;
                }

                eigenvalue = rayleigh;
            }

            converged &= done;
            values[e] = eigenvalue ?? double.NaN;
            vectors.Add(v);
        }

        var unit = vectors.Select(v =>
        {
            double[] u = (double[])v.Clone();
            SpectralVectors.ToUnitEigenvector(u);
            return ImmutableArray.Create(u);
        }).ToImmutableArray();
        return new Eigenpairs([.. values], unit, [.. errors], products, converged);
    }
}
