using System.Text.Json;
using LossLandscape.Topology.Spectra;
using MathNet.Numerics.LinearAlgebra;

namespace LossLandscape.Topology.Tests.Spectra;

/// <summary>
/// The spectral algorithms on explicit matrices, without libtorch: operators with a known spectrum, and the reference
/// MLP's Hessian as PyTorch saved it, replaying PyHessian's runs on its saved probes (Reference/mlp/README.md).
/// </summary>
public class SpectralAnalyzerTests
{
    private static JsonElement Hessian => SavedHessian.Reference.GetProperty("hessian");

    [Test]
    public void CanFindTopFiveEigenpairsByLanczosAsMathNetDoes()
    {
        var analyzer = new SpectralAnalyzer(SavedHessian.Operator());
        Eigenpairs pairs = analyzer.TopEigenpairs(5, new LanczosOptions { Seed = 1 });
        double[] exact = ExactEigenvalues().Reverse().Take(5).ToArray();
        double[] pytorch = SavedHessian.Values(Hessian.GetProperty("top5_eigenvalues_desc"));
        Assert.That(pairs.Converged, Is.True);
        Assert.That(pairs.Eigenvalues, Is.EqualTo(exact).Within(1e-8 * exact[0]), "MathNet's dense eigendecomposition");
        Assert.That(pairs.Eigenvalues, Is.EqualTo(pytorch).Within(1e-8 * exact[0]), "PyTorch's eigvalsh");
        Assert.That(pairs.Eigenvectors[0], Is.EqualTo(SavedHessian.Values(Hessian.GetProperty("top1_eigenvector"))).Within(1e-6), "same sign rule: largest entry positive");
        Assert.That(pairs.ErrorEstimates.All(e => e <= 1e-8 * exact[0]), Is.True);
    }

    [Test]
    public void CanFindEigenpairsOfDiagonalOperatorExactly()
    {
        double[] diagonal = Enumerable.Range(1, 50).Select(i => (double)i * i / 10).ToArray();
        var analyzer = new SpectralAnalyzer(new DenseSymmetricOperator(Diagonal(diagonal)));
        Eigenpairs pairs = analyzer.TopEigenpairs(3, new LanczosOptions { Seed = 3, Tolerance = 1e-12 });
        Assert.That(pairs.Eigenvalues, Is.EqualTo(new[] { 250.0, 240.1, 230.4 }).Within(1e-9));
        Assert.That(Math.Abs(pairs.Eigenvectors[0][49]), Is.EqualTo(1).Within(1e-6));
        Assert.That(pairs.Eigenvectors[0][49], Is.Positive, "canonical sign");
        SpectralDensity density = analyzer.SpectralDensity(new SpectralDensityOptions { Steps = 50, Seed = 1 });
        Assert.That(density.Nodes[0], Is.EqualTo(diagonal).Within(1e-8), "50 steps on a 50-dimensional operator recover the spectrum");
        Assert.That(density.Weights[0].Sum(), Is.EqualTo(1).Within(1e-12));
    }

    [Test]
    public void CanStopAtAnInvariantSubspaceSmallerThanTheBudget()
    {
        // Three distinct eigenvalues: from any start, the Krylov space has dimension 3 and Lanczos must stop there.
        double[] diagonal = [5, 5, 5, 2, 2, -1, -1, -1];
        var analyzer = new SpectralAnalyzer(new DenseSymmetricOperator(Diagonal(diagonal)));
        Eigenpairs pairs = analyzer.TopEigenpairs(2, new LanczosOptions { Seed = 4, MaxProducts = 8 });
        Assert.That(pairs.Eigenvalues, Is.EqualTo(new[] { 5.0, 2.0 }).Within(1e-12));
        Assert.That(pairs.Products, Is.LessThanOrEqualTo(3));
        Assert.That(pairs.Converged, Is.True);
    }

    [Test]
    public void CanFindTheTopEigenvalueAloneWithoutStoppingAtTheFirstRitzValue()
    {
        // One Ritz value has no gap to measure: the stopping rule must not read that as convergence.
        var analyzer = new SpectralAnalyzer(SavedHessian.Operator());
        Eigenpairs top = analyzer.TopEigenpairs(1, new LanczosOptions { Seed = 9, Tolerance = 1e-8 });
        Assert.That(top.Products, Is.GreaterThan(2));
        Assert.That(top.Eigenvalues[0], Is.EqualTo(ExactEigenvalues()[^1]).Within(1e-8 * 42.6));
    }

    [Test]
    public void CanReachTopTwoToSixDigitsWithinPowerIterationsBudget()
    {
        // PyHessian's power iteration spends 8 + 11 = 19 products for the top two eigenvalues at tol 1e-3.
        var analyzer = new SpectralAnalyzer(SavedHessian.Operator());
        double[] top = ExactEigenvalues().Reverse().Take(2).ToArray();
        int powerProducts = SavedHessian.Reference.GetProperty("power_iteration").GetProperty("pyhessian_eps_1e_6").GetProperty("hvp_top2_total").GetInt32();
        for (int seed = 0; seed < 5; seed++)
        {
            Eigenpairs pairs = analyzer.TopEigenpairs(2, new LanczosOptions { Seed = seed, Tolerance = 1e-6 });
            Assert.That(pairs.Products, Is.LessThanOrEqualTo(powerProducts), $"seed {seed}");
            Assert.That(Math.Abs(pairs.Eigenvalues[0] - top[0]) / top[0], Is.LessThanOrEqualTo(1e-6), $"seed {seed}");
            Assert.That(Math.Abs(pairs.Eigenvalues[1] - top[1]) / top[1], Is.LessThanOrEqualTo(1e-6), $"seed {seed}");
        }
    }

    [TestCase("pyhessian_eps_1e_6", 1e-6)]
    [TestCase("exact_normalisation_eps_0", 0.0)]
    public void CanReplayPyHessianPowerIteration(string variant, double epsilon)
    {
        var analyzer = new SpectralAnalyzer(SavedHessian.Operator());
        var options = new PowerIterationOptions
        {
            Epsilon = epsilon,
            StartVectors = [SavedHessian.Probe("power_start_1"), SavedHessian.Probe("power_start_2")],
        };
        Eigenpairs pairs = analyzer.PowerIteration(2, options);
        JsonElement expected = SavedHessian.Reference.GetProperty("power_iteration").GetProperty(variant);
        double[] values = SavedHessian.Values(expected.GetProperty("eigenvalues"));
        Assert.That(pairs.Eigenvalues, Is.EqualTo(values).Within(1e-10 * values[0]));
        Assert.That(pairs.Products, Is.EqualTo(expected.GetProperty("hvp_counts_per_eigenvalue").EnumerateArray().Sum(e => e.GetInt32())));
    }

    [Test]
    public void CanReplayHutchinsonOnSavedProbes()
    {
        var analyzer = new SpectralAnalyzer(SavedHessian.Operator());
        double[][] probes = SavedHessian.ProbeList("hutchinson_probes");
        JsonElement expected = SavedHessian.Reference.GetProperty("hutchinson");
        TraceEstimate all = analyzer.Hutchinson(new HutchinsonOptions { ProbeVectors = probes });
        double[] samples = SavedHessian.Values(expected.GetProperty("samples_vHv"));
        Assert.That(all.Samples, Is.EqualTo(samples).Within(1e-10 * samples.Max(Math.Abs)));
        Assert.That(all.Estimate, Is.EqualTo(expected.GetProperty("estimate").GetDouble()).Within(1e-10 * 80));
        Assert.That(all.StandardError, Is.EqualTo(expected.GetProperty("std_error").GetDouble()).Within(1e-9 * 6));
        Assert.That(all.Products, Is.EqualTo(100));

        TraceEstimate early = analyzer.Hutchinson(new HutchinsonOptions { ProbeVectors = probes, Tolerance = 1e-3 });
        Assert.That(early.Products, Is.EqualTo(expected.GetProperty("pyhessian_tol_1e_3_stop_n_hvp").GetInt32()));
        Assert.That(early.Estimate, Is.EqualTo(expected.GetProperty("pyhessian_tol_1e_3_stop_estimate").GetDouble()).Within(1e-10 * 82));
    }

    [TestCase("pyhessian_eps_1e_6", 1e-6)]
    [TestCase("exact_normalisation_eps_0", 0.0)]
    public void CanReplayStochasticLanczosQuadrature(string variant, double epsilon)
    {
        var analyzer = new SpectralAnalyzer(SavedHessian.Operator());
        SpectralDensity density = analyzer.SpectralDensity(new SpectralDensityOptions { Steps = 100, Epsilon = epsilon, StartVectors = [SavedHessian.Probe("slq_start")] });
        JsonElement expected = SavedHessian.Reference.GetProperty("slq").GetProperty(variant);
        double[] alpha = SavedHessian.Values(expected.GetProperty("alpha"));
        double[] beta = SavedHessian.Values(expected.GetProperty("beta"));
        double[] nodes = SavedHessian.Values(expected.GetProperty("nodes"));
        double[] weights = SavedHessian.Values(expected.GetProperty("weights"));
        Assert.That(density.Products, Is.EqualTo(100));
        for (int i = 0; i < 100; i++)
        {
            Assert.That(density.Alpha[0][i], Is.EqualTo(alpha[i]).Within(1e-10 * Math.Max(1, Math.Abs(alpha[i]))), $"alpha {i}");
            Assert.That(density.Nodes[0][i], Is.EqualTo(nodes[i]).Within(1e-10 * Math.Max(1, Math.Abs(nodes[i]))), $"node {i}");
            Assert.That(density.Weights[0][i], Is.EqualTo(weights[i]).Within(1e-9 * Math.Max(1e-3, weights[i])), $"weight {i}");
        }

        for (int i = 0; i < 99; i++)
        {
            Assert.That(density.Beta[0][i], Is.EqualTo(beta[i]).Within(1e-10 * Math.Max(1, beta[i])), $"beta {i}");
        }
    }

    [Test]
    public void CanBeatHutchinsonByThreeTimesWithHutchPlusPlusAtHundredProducts()
    {
        var analyzer = new SpectralAnalyzer(SavedHessian.Operator());
        double exact = SavedHessian.Trace();
        Assert.That(exact, Is.EqualTo(Hessian.GetProperty("trace").GetDouble()).Within(1e-10 * 82.7), "the saved matrix is PyTorch's Hessian");
        double hutchinson = 0;
        double hutchPlusPlus = 0;
        const int Seeds = 50;
        for (int seed = 0; seed < Seeds; seed++)
        {
            hutchinson += Math.Pow(analyzer.Hutchinson(new HutchinsonOptions { Seed = seed, Probes = 100 }).Estimate - exact, 2);
            TraceEstimate plus = analyzer.HutchPlusPlus(new HutchPlusPlusOptions { Products = 100, Seed = seed });
            Assert.That(plus.Products, Is.EqualTo(100));
            hutchPlusPlus += Math.Pow(plus.Estimate - exact, 2);
        }

        double rmsHutchinson = Math.Sqrt(hutchinson / Seeds);
        double rmsHutchPlusPlus = Math.Sqrt(hutchPlusPlus / Seeds);
        TestContext.Out.WriteLine($"RMS error over {Seeds} seeds at 100 products: Hutchinson {rmsHutchinson:G4}, Hutch++ {rmsHutchPlusPlus:G4}");
        Assert.That(rmsHutchPlusPlus, Is.LessThanOrEqualTo(rmsHutchinson / 3));

        // Hutchinson's variance with Rademacher probes is 2(‖A‖F² − Σ aᵢᵢ²) per probe: its RMS error over 100 probes.
        var a = Matrix<double>.Build.DenseOfRowMajor(SavedHessian.Dimension, SavedHessian.Dimension, Dense());
        double offDiagonal = a.FrobeniusNorm() * a.FrobeniusNorm() - Enumerable.Range(0, SavedHessian.Dimension).Sum(i => a[i, i] * a[i, i]);
        double theory = Math.Sqrt(2 * offDiagonal / 100);
        Assert.That(rmsHutchinson, Is.EqualTo(theory).Within(0.35 * theory), $"theory {theory:G4}: 50 seeds estimate an RMS to about ±20 %");
    }

    [Test]
    public void CanMakeHutchPlusPlusExactWhenTheSketchSpansTheSpace()
    {
        var random = new Random(3);
        var b = Matrix<double>.Build.Dense(10, 10, (_, _) => random.NextDouble() - 0.5);
        Matrix<double> a = b * b.Transpose();
        var analyzer = new SpectralAnalyzer(new DenseSymmetricOperator(a.ToRowMajorArray()));
        TraceEstimate trace = analyzer.HutchPlusPlus(new HutchPlusPlusOptions { Products = 30, Seed = 1 });
        Assert.That(trace.Estimate, Is.EqualTo(a.Trace()).Within(1e-10 * a.Trace()), "10 sketch vectors span a 10-dimensional space: the random part is zero");
    }

    [Test]
    public void CanSmoothDensityIntoTheGaussianMixtureOfItsNodes()
    {
        var density = new SpectralDensity([[1.0, 3.0]], [[0.25, 0.75]], [[]], [[]], 2);
        const double SigmaSquared = 1e-3;
        SmoothedDensity curve = density.Smooth(bins: 3001, sigmaSquared: SigmaSquared, overhead: 0.5);
        double step = curve.Grid[1] - curve.Grid[0];
        Assert.That(curve.Grid[0], Is.EqualTo(0.5).Within(1e-12));
        Assert.That(curve.Grid[^1], Is.EqualTo(3.5).Within(1e-12));

        // The variance is σ² · max(1, width) = 3e-3; the curve is that mixture of two Gaussians, checked pointwise.
        // The grid reaches 9 standard deviations past each node, so scaling to unit area on it changes nothing here
        // (with PyHessian's default margin of 0.01 most of each Gaussian lies off the grid and the scaling inflates it).
        double variance = SigmaSquared * 3.0;
        for (int j = 0; j < curve.Grid.Length; j += 50)
        {
            double x = curve.Grid[j];
            double mixture = (0.25 * Gaussian(x - 1, variance)) + (0.75 * Gaussian(x - 3, variance));
            Assert.That(curve.Density[j], Is.EqualTo(mixture).Within(1e-4 * Math.Max(mixture, 1e-3)), $"x = {x}");
        }

        double mean = curve.Grid.Select((x, j) => x * curve.Density[j] * step).Sum();
        Assert.That(mean, Is.EqualTo(2.5).Within(1e-3), "the mixture's mean, Σ wᵢ λᵢ");
    }

    [Test]
    public void TopEigenpairsFailsOnCountOutOfRange()
    {
        var analyzer = new SpectralAnalyzer(SavedHessian.Operator());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => analyzer.TopEigenpairs(338));
        Assert.That(ex!.Message, Does.Contain("between 1 and 337"));
        Assert.That(Assert.Throws<ArgumentException>(() => analyzer.PowerIteration(2, new PowerIterationOptions { StartVectors = [new double[337]] }))!.Message, Does.Contain("1 start vectors for 2"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => analyzer.HutchPlusPlus(new HutchPlusPlusOptions { Products = 2 }))!.ParamName, Is.EqualTo("options"));
    }

    [Test]
    public void OperatorProductsThatAreNotFiniteFailNamingTheProduct()
    {
        var analyzer = new SpectralAnalyzer(new NaNAfter(2, 6));
        var ex = Assert.Throws<NotFiniteNumberException>(() => analyzer.TopEigenpairs(2));
        Assert.That(ex!.Message, Does.Contain("product 3"));
    }

    [Test]
    public void DenseOperatorRefusesAMatrixThatIsNotASymmetricSquare()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new DenseSymmetricOperator(new double[5]))!.Message, Does.Contain("square"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new DenseSymmetricOperator([1, 2, 3, 4]))!.Message, Does.Contain("(1, 0) is 3 but (0, 1) is 2"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new DenseSymmetricOperator([1, double.NaN, double.NaN, 4]))!.Message, Does.Contain("not finite"));
        Assert.That(new DenseSymmetricOperator([1, 2, 2, 4]).Trace(), Is.EqualTo(5));
    }

    private static double Gaussian(double d, double variance) => Math.Exp(-d * d / (2 * variance)) / Math.Sqrt(2 * Math.PI * variance);

    private static double[] Diagonal(double[] diagonal)
    {
        int n = diagonal.Length;
        var matrix = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            matrix[(i * n) + i] = diagonal[i];
        }

        return matrix;
    }

    private static double[] Dense()
    {
        var op = SavedHessian.Operator();
        var rows = new double[SavedHessian.Dimension * SavedHessian.Dimension];
        var e = new double[SavedHessian.Dimension];
        for (int i = 0; i < SavedHessian.Dimension; i++)
        {
            e[i] = 1;
            op.Multiply(e, rows.AsSpan(i * SavedHessian.Dimension, SavedHessian.Dimension));
            e[i] = 0;
        }

        return rows;
    }

    private static double[] ExactEigenvalues() =>
        Matrix<double>.Build.DenseOfRowMajor(SavedHessian.Dimension, SavedHessian.Dimension, Dense()).Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).Order().ToArray();

    /// <summary>The identity (scaled) until product <c>good</c> + 1, which has a NaN.</summary>
    private sealed class NaNAfter(int good, int dimension) : ISymmetricOperator
    {
        private int _products;

        public int Dimension => dimension;

        public void Multiply(ReadOnlySpan<double> vector, Span<double> result)
        {
            for (int i = 0; i < vector.Length; i++)
            {
                result[i] = (i + 1) * vector[i];
            }

            if (++_products > good)
            {
                result[1] = double.NaN;
            }
        }
    }
}
