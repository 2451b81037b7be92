namespace LossLandscape.Topology.Spectra;

/// <summary>Hutchinson's and Hutch++'s trace estimators.</summary>
internal static class TraceEstimators
{
    /// <summary>
    /// Hutchinson: the mean of vᵀAv over Rademacher probes. With a tolerance, stops as PyHessian does, once the
    /// running mean changes by less than tol relative to the previous mean (which starts at 0).
    /// </summary>
    public static TraceEstimate Hutchinson(ISymmetricOperator a, Func<double[]> probe, int maxProducts, double? tolerance, IProgress<OperatorProgress>? progress, CancellationToken cancellationToken)
    {
        var samples = new List<double>();
        var av = new double[a.Dimension];
        double previous = 0;
        for (int i = 0; i < maxProducts; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double[] v = probe();
            a.Multiply(v, av);
            progress?.Report(new OperatorProgress(i + 1, maxProducts));
            samples.Add(SpectralVectors.Dot(av, v));
            double mean = samples.Average();
            if (tolerance is { } tol && Math.Abs(mean - previous) / (Math.Abs(previous) + 1e-6) < tol)
            {
                break;
            }

            previous = mean;
        }

        return new TraceEstimate(samples.Average(), StandardError(samples), samples.Count, [.. samples]);
    }

    /// <summary>
    /// Hutch++ (Meyer, Musco, Musco and Woodruff 2021): a third of the products sketch the top of the spectrum
    /// (Q = orth(A S)), a third take tr(QᵀAQ) exactly, and the last third run Hutchinson on the deflated
    /// (I − QQᵀ)A(I − QQᵀ). The error then falls like 1/m instead of 1/√m when the spectrum decays.
    /// </summary>
    public static TraceEstimate HutchPlusPlus(ISymmetricOperator a, Func<double[]> probe, int products, IProgress<OperatorProgress>? progress, CancellationToken cancellationToken)
    {
        int n = a.Dimension;
        int sketch = products / 3;
        int residualProbes = products - (2 * sketch);
        int done = 0;
        void Step()
        {
            cancellationToken.ThrowIfCancellationRequested();
            done++;
            progress?.Report(new OperatorProgress(done, products));
        }

        var q = new List<double[]>();
        for (int i = 0; i < sketch; i++)
        {
            var y = new double[n];
            a.Multiply(probe(), y);
            Step();
            SpectralVectors.Orthogonalize(y, q);
            SpectralVectors.Orthogonalize(y, q);
            double norm = SpectralVectors.Norm(y);
            if (norm > 1e-12 * Math.Sqrt(n))
            {
                SpectralVectors.Scale(y, 1 / norm);
                q.Add(y);
            }
        }

        double exact = 0;
        var av = new double[n];
        foreach (double[] basis in q)
        {
            a.Multiply(basis, av);
            Step();
            exact += SpectralVectors.Dot(av, basis);
        }

        var samples = new double[residualProbes];
        for (int i = 0; i < residualProbes; i++)
        {
            double[] g = probe();
            SpectralVectors.Orthogonalize(g, q);
            a.Multiply(g, av);
            Step();
            SpectralVectors.Orthogonalize(av, q);
            samples[i] = SpectralVectors.Dot(av, g);
        }

        return new TraceEstimate(exact + samples.Average(), StandardError(samples), done, [.. samples]);
    }

    private static double StandardError(IReadOnlyList<double> samples)
        => samples.Count < 2 ? double.NaN : MathNet.Numerics.Statistics.Statistics.StandardDeviation(samples) / Math.Sqrt(samples.Count);
}
