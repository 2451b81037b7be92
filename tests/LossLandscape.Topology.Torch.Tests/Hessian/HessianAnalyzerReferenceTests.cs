using System.Text.Json;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Tests.Support;

namespace LossLandscape.Topology.Torch.Tests.Hessian;

/// <summary>
/// The Hessian of the reference MLP, through TorchSharp's double backward, against PyTorch/PyHessian's numbers
/// (Reference/mlp/README.md gives the tolerances).
/// </summary>
public class HessianAnalyzerReferenceTests
{
    private static JsonElement Hessian => ReferenceMlp.Reference.GetProperty("hessian");

    [Test]
    public void CanReadExactEigenvaluesAndTraceFromSavedHessian()
    {
        double[] exact = ReferenceHessian.ExactEigenvalues();
        double[] top5 = Values(Hessian.GetProperty("top5_eigenvalues_desc"));
        double[] bottom5 = Values(Hessian.GetProperty("bottom5_eigenvalues_asc"));
        Assert.That(exact.Reverse().Take(5), Is.EqualTo(top5).Within(1e-9 * top5[0]));
        Assert.That(exact.Take(5), Is.EqualTo(bottom5).Within(1e-10));
        Assert.That(ReferenceHessian.Trace(), Is.EqualTo(Hessian.GetProperty("trace").GetDouble()).Within(1e-10 * 82.7));
    }

    [Test]
    public void CanFindTopFiveEigenvaluesByLanczosToEightDigits()
    {
        using var mlp = ReferenceMlp.Load();
        using var analyzer = new HessianAnalyzer(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        HessianEigenpairs pairs = analyzer.TopEigenpairs(5, new LanczosOptions { Seed = 1 });
        double[] top5 = Values(Hessian.GetProperty("top5_eigenvalues_desc"));
        Assert.That(pairs.Converged, Is.True);
        for (int i = 0; i < 5; i++)
        {
            Assert.That(pairs.Eigenvalues[i], Is.EqualTo(top5[i]).Within(1e-8 * Math.Abs(top5[i])), $"eigenvalue {i + 1}");
        }

        double[] v1 = Values(Hessian.GetProperty("top1_eigenvector"));
        double[] v2 = Values(Hessian.GetProperty("top2_eigenvector"));
        Assert.That(pairs.Eigenvectors[0], Is.EqualTo(v1).Within(1e-6), "same sign rule: largest entry positive");
        Assert.That(pairs.Eigenvectors[1], Is.EqualTo(v2).Within(1e-6));
        Assert.That(analyzer.Operator is HessianOperator h ? h.ProductCount : -1, Is.EqualTo(pairs.Products));
    }

    [Test]
    public void CanReachTopTwoToSixDigitsWithinPowerIterationsBudget()
    {
        // PyHessian's power iteration spends 8 + 11 = 19 products for the top two eigenvalues at tol 1e-3.
        using var mlp = ReferenceMlp.Load();
        using var analyzer = new HessianAnalyzer(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        double[] top = Values(Hessian.GetProperty("top5_eigenvalues_desc"));
        int powerProducts = ReferenceMlp.Reference.GetProperty("power_iteration").GetProperty("pyhessian_eps_1e_6").GetProperty("hvp_top2_total").GetInt32();
        for (long seed = 0; seed < 5; seed++)
        {
            HessianEigenpairs pairs = analyzer.TopEigenpairs(2, new LanczosOptions { Seed = seed, Tolerance = 1e-6 });
            TestContext.Out.WriteLine($"seed {seed}: {pairs.Products} products, relative errors {Math.Abs(pairs.Eigenvalues[0] - top[0]) / top[0]:G2} and {Math.Abs(pairs.Eigenvalues[1] - top[1]) / top[1]:G2}");
            Assert.That(pairs.Products, Is.LessThanOrEqualTo(powerProducts), $"seed {seed}");
            Assert.That(Math.Abs(pairs.Eigenvalues[0] - top[0]) / top[0], Is.LessThanOrEqualTo(1e-6), $"seed {seed}");
            Assert.That(Math.Abs(pairs.Eigenvalues[1] - top[1]) / top[1], Is.LessThanOrEqualTo(1e-6), $"seed {seed}");
        }
    }

    [TestCase("pyhessian_eps_1e_6", 1e-6)]
    [TestCase("exact_normalisation_eps_0", 0.0)]
    public void CanReplayPyHessianPowerIteration(string variant, double epsilon)
    {
        using var mlp = ReferenceMlp.Load();
        using var analyzer = new HessianAnalyzer(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        var options = new PowerIterationOptions
        {
            Epsilon = epsilon,
            StartVectors = [ReferenceHessian.Probe("power_start_1"), ReferenceHessian.Probe("power_start_2")],
        };
        HessianEigenpairs pairs = analyzer.PowerIteration(2, options);
        JsonElement expected = ReferenceMlp.Reference.GetProperty("power_iteration").GetProperty(variant);
        double[] values = Values(expected.GetProperty("eigenvalues"));
        Assert.That(pairs.Eigenvalues, Is.EqualTo(values).Within(1e-10 * values[0]));
        Assert.That(pairs.Products, Is.EqualTo(expected.GetProperty("hvp_counts_per_eigenvalue").EnumerateArray().Sum(e => e.GetInt32())));
        Assert.That(pairs.Products, Is.EqualTo(19));
    }

    [Test]
    public void CanReplayHutchinsonOnSavedProbes()
    {
        using var mlp = ReferenceMlp.Load();
        using var analyzer = new HessianAnalyzer(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        double[][] probes = ReferenceHessian.ProbeList("hutchinson_probes");
        JsonElement expected = ReferenceMlp.Reference.GetProperty("hutchinson");
        TraceEstimate all = analyzer.Hutchinson(new HutchinsonOptions { ProbeVectors = probes });
        double[] samples = Values(expected.GetProperty("samples_vHv"));
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
        using var mlp = ReferenceMlp.Load();
        using var analyzer = new HessianAnalyzer(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        SpectralDensity density = analyzer.SpectralDensity(new SpectralDensityOptions { Steps = 100, Epsilon = epsilon, StartVectors = [ReferenceHessian.Probe("slq_start")] });
        JsonElement expected = ReferenceMlp.Reference.GetProperty("slq").GetProperty(variant);
        double[] alpha = Values(expected.GetProperty("alpha"));
        double[] beta = Values(expected.GetProperty("beta"));
        double[] nodes = Values(expected.GetProperty("nodes"));
        double[] weights = Values(expected.GetProperty("weights"));
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
    public void CanEstimateTraceWithOwnProbesWithinFourStandardErrors()
    {
        using var mlp = ReferenceMlp.Load();
        using var analyzer = new HessianAnalyzer(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        TraceEstimate estimate = analyzer.Hutchinson(new HutchinsonOptions { Seed = 5, Probes = 100 });
        Assert.That(estimate.Estimate, Is.EqualTo(82.66755519982067).Within(4 * 6.63));
        Assert.That(estimate.Products, Is.EqualTo(100));
    }

    private static double[] Values(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
