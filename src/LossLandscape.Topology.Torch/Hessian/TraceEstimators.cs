namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>Hutchinson's and Hutch++'s trace estimators.</summary>
internal static class TraceEstimators
{
    /// <summary>
    /// Hutchinson: the mean of vᵀHv over Rademacher probes. With a tolerance, stops as PyHessian does, once the
    /// running mean changes by less than tol relative to the previous mean (which starts at 0).
    /// </summary>
    public static TraceEstimate Hutchinson(ISymmetricOperator a, Func<double[]> probe, int maxProducts, double? tolerance, IProgress<HessianProgress>? progress, CancellationToken cancellationToken)
    {
        var samples = new List<double>();
        var hv = new double[a.Dimension];
        double previous = 0;
        for (int i = 0; i < maxProducts; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double[] v = probe();
            a.Multiply(v, hv);
            progress?.Report(new HessianProgress(i + 1, maxProducts));
            samples.Add(VectorMath.Dot(hv, v));
            double mean = samples.Average();
            if (tolerance is { } tol && Math.Abs(mean - previous) / (Math.Abs(previous) + 1e-6) < tol)
            {
                break;
            }

            previous = mean;
        }

        return new TraceEstimate(samples.Average(), StandardError(samples), samples.Count, samples.ToArray());
    }

    /// <summary>
    /// Hutch++ (Meyer, Musco, Musco and Woodruff 2021): a third of the products sketch the top of the spectrum
    /// (Q = orth(H S)), a third take tr(QᵀHQ) exactly, and the last third run Hutchinson on the deflated
    /// (I − QQᵀ)H(I − QQᵀ). The error then falls like 1/m instead of 1/√m when the spectrum decays.
    /// </summary>
    public static TraceEstimate HutchPlusPlus(ISymmetricOperator a, Func<double[]> probe, int products, IProgress<HessianProgress>? progress, CancellationToken cancellationToken)
    {
        if (products < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(products), products, "Hutch++ needs at least 3 products.");
        }

        int n = a.Dimension;
        int sketch = products / 3;
        int residualProbes = products - (2 * sketch);
        int done = 0;
        void Step()
        {
            cancellationToken.ThrowIfCancellationRequested();
            done++;
            progress?.Report(new HessianProgress(done, products));
        }

        var q = new List<double[]>();
        for (int i = 0; i < sketch; i++)
        {
            var y = new double[n];
            a.Multiply(probe(), y);
            Step();
            VectorMath.Orthogonalize(y, q);
            VectorMath.Orthogonalize(y, q);
            double norm = VectorMath.Norm(y);
            if (norm > 1e-12 * Math.Sqrt(n))
            {
                VectorMath.Scale(y, 1 / norm);
                q.Add(y);
            }
        }

        double exact = 0;
        var hv = new double[n];
        foreach (double[] basis in q)
        {
            a.Multiply(basis, hv);
            Step();
            exact += VectorMath.Dot(hv, basis);
        }

        var samples = new double[residualProbes];
        for (int i = 0; i < residualProbes; i++)
        {
            double[] g = probe();
            VectorMath.Orthogonalize(g, q);
            a.Multiply(g, hv);
            Step();
            VectorMath.Orthogonalize(hv, q);
            samples[i] = VectorMath.Dot(hv, g);
        }

        return new TraceEstimate(exact + samples.Average(), StandardError(samples), done, samples);
    }

    private static double StandardError(IReadOnlyList<double> samples)
    {
        if (samples.Count < 2)
        {
            return double.NaN;
        }

        double mean = samples.Average();
        double variance = samples.Sum(s => (s - mean) * (s - mean)) / (samples.Count - 1);
        return Math.Sqrt(variance / samples.Count);
    }
}
