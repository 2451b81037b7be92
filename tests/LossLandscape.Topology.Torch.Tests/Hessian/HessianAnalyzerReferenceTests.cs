using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using LossLandscape.Topology.Spectra;
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
    public void CanReproducePyTorchsHessianColumnByColumn()
    {
        // 337 products with the unit vectors give TorchSharp's whole Hessian: it must be PyTorch's saved matrix, and
        // its spectrum (MathNet) PyTorch's eigvalsh numbers — two independent computations of the same matrix.
        using var mlp = ReferenceMlp.Load();
        using var hessian = new HessianOperator(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        int n = ReferenceHessian.Dimension;
        var ours = Matrix<double>.Build.Dense(n, n);
        var e = new double[n];
        var column = new double[n];
        for (int i = 0; i < n; i++)
        {
            e[i] = 1;
            hessian.Multiply(e, column);
            e[i] = 0;
            double[] saved = ReferenceHessian.Multiply(Unit(n, i));
            Assert.That(column, Is.EqualTo(saved).Within(1e-10 * 43), $"column {i}");
            ours.SetColumn(i, column);
        }

        Assert.That((ours - ours.Transpose()).FrobeniusNorm(), Is.LessThan(1e-10 * ours.FrobeniusNorm()), "symmetric");
        double[] spectrum = ours.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).Order().ToArray();
        double[] top5 = Values(Hessian.GetProperty("top5_eigenvalues_desc"));
        double[] bottom5 = Values(Hessian.GetProperty("bottom5_eigenvalues_asc"));
        Assert.That(spectrum.Reverse().Take(5), Is.EqualTo(top5).Within(1e-9 * top5[0]));
        Assert.That(spectrum.Take(5), Is.EqualTo(bottom5).Within(1e-10));
        Assert.That(ours.Trace(), Is.EqualTo(Hessian.GetProperty("trace").GetDouble()).Within(1e-10 * 82.7));
    }

    [Test]
    public void CanFindTopFiveEigenvaluesByLanczosToEightDigits()
    {
        using var mlp = ReferenceMlp.Load();
        using var analyzer = new HessianAnalyzer(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        Eigenpairs pairs = analyzer.TopEigenpairs(5, new LanczosOptions { Seed = 1 });
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
        Assert.That(analyzer.Hessian.ProductCount, Is.EqualTo(pairs.Products));
    }

    private static double[] Unit(int n, int i)
    {
        var v = new double[n];
        v[i] = 1;
        return v;
    }

    private static double[] Values(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
