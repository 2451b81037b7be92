using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Tests.Support;
using MathNet.Numerics.LinearAlgebra;

namespace LossLandscape.Topology.Torch.Tests.Hessian;

/// <summary>
/// The spectral algorithms through TorchSharp's Hessian-vector products, on a loss whose Hessian is known in closed
/// form (the algorithms alone are checked on explicit matrices in the core's SpectralAnalyzerTests).
/// </summary>
public class HessianAnalyzerTests
{
    [Test]
    public void CanMatchLeastSquaresEigenvaluesFromMathNet()
    {
        using var ls = LeastSquares.Create(seed: 8, n: 60, d: 9);
        using var analyzer = new HessianAnalyzer(ls.Loss);
        double[] exact = ls.ExactHessian().Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).OrderDescending().ToArray();
        Eigenpairs pairs = analyzer.TopEigenpairs(3, new LanczosOptions { Seed = 2 });
        Assert.That(pairs.Eigenvalues, Is.EqualTo(exact.Take(3)).Within(1e-10 * exact[0]));
        TraceEstimate trace = analyzer.HutchPlusPlus(new HutchPlusPlusOptions { Products = 30, Seed = 1 });
        Assert.That(trace.Estimate, Is.EqualTo(exact.Sum()).Within(1e-9 * exact.Sum()), "10 parameters: the sketch spans everything, so Hutch++ is exact");
        Assert.That(analyzer.Hessian.ProductCount, Is.EqualTo(pairs.Products + trace.Products));
    }
}
