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

    /// <summary>
    /// XTrace (Epperly, Tropp and Webber, "XTrace: making the most of every sample in stochastic trace estimation",
    /// SIMAX 2024): m = products / 2 Rademacher test vectors W sketch the range, Q = orth(A W), and each test vector
    /// is used twice, exchangeably: the trace of A on the basis Q₋ᵢ built without it, plus its own Hutchinson
    /// sample on the complement of Q₋ᵢ. The estimate is the mean of the m leave-one-out estimates, and their spread
    /// gives the standard error. Q₋ᵢQ₋ᵢᵀ = Q(I − sᵢsᵢᵀ)Qᵀ with sᵢ the i-th column of R⁻ᵀ normalised, so no basis is
    /// recomputed: m products for A W, m for A Q, and m × m algebra. The residual samples are the paper's improved
    /// ones (its Section 2.2): each rescaled by (n − m + 1) over the squared length of its projected test vector.
    /// </summary>
    public static TraceEstimate XTrace(ISymmetricOperator a, Func<double[]> probe, int products, IProgress<OperatorProgress>? progress, CancellationToken cancellationToken)
    {
        int n = a.Dimension;
        int m = products / 2;
        int done = 0;
        double[] Multiply(double[] v)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = new double[n];
            a.Multiply(v, result);
            done++;
            progress?.Report(new OperatorProgress(done, 2 * m));
            return result;
        }

        var w = new double[m][];
        var aw = new double[m][];
        for (int i = 0; i < m; i++)
        {
            w[i] = probe();
            aw[i] = Multiply(w[i]);
        }

        var builder = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build;
        var sketch = builder.DenseOfColumnArrays(aw);
        var qr = sketch.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var q = qr.Q;
        var r = qr.R;
        var aq = builder.DenseOfColumnArrays(Enumerable.Range(0, m).Select(j => Multiply(q.Column(j).ToArray())));
        var h = q.TransposeThisAndMultiply(aq);
        double full = h.Trace();

        // sᵢ: the columns of R⁻ᵀ, normalised.
        var s = r.Transpose().Inverse();
        for (int i = 0; i < m; i++)
        {
            s.SetColumn(i, s.Column(i).Normalize(2));
        }

        var estimates = new double[m];
        for (int i = 0; i < m; i++)
        {
            var si = s.Column(i);
            var wi = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(w[i]);
            double onBasis = full - si.DotProduct(h * si);

            // (I − Q₋ᵢQ₋ᵢᵀ) A (I − Q₋ᵢQ₋ᵢᵀ) wᵢ, with Q₋ᵢQ₋ᵢᵀ = Q (I − sᵢsᵢᵀ) Qᵀ.
            var c = q.TransposeThisAndMultiply(wi);
            double along = si.DotProduct(c);

            // The improved estimator: the projected test vector's sample, rescaled to the complement's dimension
            // n − m + 1 over its squared length, so that it counts as a random direction of that complement.
            double scale = (n - m + 1) / (wi.DotProduct(wi) - c.DotProduct(c) + (along * along));
            c -= along * si;
            var deflated = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(aw[i]) - (aq * c);
            var d = q.TransposeThisAndMultiply(deflated);
            d -= si.DotProduct(d) * si;
            deflated -= q * d;
            estimates[i] = onBasis + (scale * wi.DotProduct(deflated));
        }

        return new TraceEstimate(estimates.Average(), StandardError(estimates), done, [.. estimates]);
    }

    private static double StandardError(IReadOnlyList<double> samples)
        => samples.Count < 2 ? double.NaN : MathNet.Numerics.Statistics.Statistics.StandardDeviation(samples) / Math.Sqrt(samples.Count);
}
