namespace LossLandscape.Topology.Spectra;

/// <summary>Hutchinson's, Hutch++'s, XTrace's and XNysTrace's trace estimators.</summary>
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
    /// SIMAX 2024): m = products / 2 test vectors W, uniform on the sphere of radius √n, sketch the range,
    /// Q = orth(A W), and each test vector is used twice, exchangeably: the trace of A on the basis Q₋ᵢ built without it, plus its own Hutchinson
    /// sample on the complement of Q₋ᵢ. The estimate is the mean of the m leave-one-out estimates, and their spread
    /// gives the standard error. Q₋ᵢQ₋ᵢᵀ = Q(I − sᵢsᵢᵀ)Qᵀ with sᵢ the i-th column of R⁻ᵀ normalised, so no basis is
    /// recomputed: m products for A W, m for A Q, and m × m algebra. The residual samples are the paper's improved
    /// ones (its Section 2.2): each rescaled by (n − m + 1) over the squared length of its projected test vector, a
    /// rescaling derived for rotation-invariant test vectors.
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

    /// <summary>
    /// XNysTrace (Epperly, Tropp and Webber 2024, the same paper's positive semi-definite estimator): all m products
    /// sketch, Y = AΩ, and the Nyström approximation Â = Y(ΩᵀY)⁻¹Yᵀ is made exchangeable: the i-th estimate is the
    /// trace of the Nyström approximation built without ωᵢ plus ωᵢ's own Hutchinson sample of the remainder, which is
    /// ‖F‖²_F − ‖zᵢ‖² + αᵢ(zᵢᵀωᵢ)² with F = YR⁻¹ (R the Cholesky factor of ΩᵀY) and zᵢ the downdating column. The
    /// shift μ = ε‖Y‖_F/√n (taken back out as μn) keeps the Cholesky factorisation stable, and αᵢ = (n − m + 1) over
    /// ωᵢ's squared distance from the other test vectors' span is the paper's reisotropisation of the residual
    /// samples (its improved estimator). Test vectors are Gaussian, for which αᵢ is derived.
    /// </summary>
    /// <exception cref="ArgumentException">The sketch's core ΩᵀAΩ is not positive definite: the operator is not positive semi-definite.</exception>
    public static TraceEstimate XNysTrace(ISymmetricOperator a, Func<double[]> gaussian, int products, IProgress<OperatorProgress>? progress, CancellationToken cancellationToken)
    {
        int n = a.Dimension;
        int m = products;
        var builder = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build;
        var omega = builder.Dense(n, m);
        var y = builder.Dense(n, m);
        var product = new double[n];
        for (int i = 0; i < m; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double[] w = gaussian();
            a.Multiply(w, product);
            progress?.Report(new OperatorProgress(i + 1, m));
            omega.SetColumn(i, w);
            y.SetColumn(i, product);
        }

        double shift = 2.220446049250313e-16 * y.FrobeniusNorm() / Math.Sqrt(n);
        y += shift * omega;
        var core = omega.TransposeThisAndMultiply(y);
        core = (core + core.Transpose()) / 2;
        MathNet.Numerics.LinearAlgebra.Matrix<double> lower; // core = L Lᵀ, so R = Lᵀ
        try
        {
            lower = core.Cholesky().Factor;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("XNysTrace needs a positive semi-definite operator (a Gauss–Newton matrix, a Fisher, a covariance): ΩᵀAΩ of its test vectors is not positive definite. Use XTrace for an indefinite operator such as a Hessian.", "operator", e);
        }

        var lowerInverse = lower.Inverse();                 // L⁻¹ = R⁻ᵀ
        var f = y * lowerInverse.Transpose();               // F = Y R⁻¹
        var z = f * lowerInverse;                           // F R⁻ᵀ, then column i over ‖row i of R⁻¹‖
        for (int i = 0; i < m; i++)
        {
            z.SetColumn(i, z.Column(i) / lowerInverse.Column(i).L2Norm());
        }

        // ωᵢ's squared distance from the span of the others: ‖ωᵢ‖² − ‖Xᵢ‖², with ΩᵀΩ = TᵀT and Xᵢ = Tᵢ − T⁻ᵀᵢ / ‖T⁻ᵀᵢ‖².
        var t = omega.TransposeThisAndMultiply(omega).Cholesky().Factor.Transpose();
        var tInverseTransposed = t.Inverse().Transpose();
        double frobenius = f.FrobeniusNorm();
        frobenius *= frobenius;
        var estimates = new double[m];
        for (int i = 0; i < m; i++)
        {
            var column = tInverseTransposed.Column(i);
            var x = t.Column(i) - (column / column.DotProduct(column));
            var wi = omega.Column(i);
            double alpha = (n - m + 1) / (wi.DotProduct(wi) - x.DotProduct(x));
            var zi = z.Column(i);
            double along = zi.DotProduct(wi);
            estimates[i] = frobenius - zi.DotProduct(zi) + (alpha * along * along) - (shift * n);
        }

        return new TraceEstimate(estimates.Average(), StandardError(estimates), m, [.. estimates]);
    }

    private static double StandardError(IReadOnlyList<double> samples)
        => samples.Count < 2 ? double.NaN : MathNet.Numerics.Statistics.Statistics.StandardDeviation(samples) / Math.Sqrt(samples.Count);
}
