using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Tests.Support;
using MathNet.Numerics.LinearAlgebra;

namespace LossLandscape.Topology.Torch.Tests.Hessian;

/// <summary>The algorithms on operators whose spectrum is known exactly.</summary>
public class HessianAnalyzerTests
{
    [Test]
    public void CanMatchLeastSquaresEigenvaluesFromMathNet()
    {
        using var ls = LeastSquares.Create(seed: 8, n: 60, d: 9);
        using var analyzer = new HessianAnalyzer(ls.Loss);
        double[] exact = ls.ExactHessian().Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).OrderDescending().ToArray();
        HessianEigenpairs pairs = analyzer.TopEigenpairs(3, new LanczosOptions { Seed = 2 });
        Assert.That(pairs.Eigenvalues, Is.EqualTo(exact.Take(3)).Within(1e-10 * exact[0]));
        TraceEstimate trace = analyzer.HutchPlusPlus(30, seed: 1);
        Assert.That(trace.Estimate, Is.EqualTo(exact.Sum()).Within(1e-9 * exact.Sum()), "10 parameters: the sketch spans everything, so Hutch++ is exact");
    }

    [Test]
    public void CanBeatHutchinsonByThreeTimesWithHutchPlusPlusAtHundredProducts()
    {
        var analyzer = new HessianAnalyzer(ReferenceHessian.Operator());
        double exact = ReferenceHessian.Trace();
        double hutchinson = 0;
        double hutchPlusPlus = 0;
        const int Seeds = 50;
        for (int seed = 0; seed < Seeds; seed++)
        {
            hutchinson += Math.Pow(analyzer.Hutchinson(new HutchinsonOptions { Seed = seed, Probes = 100 }).Estimate - exact, 2);
            TraceEstimate plus = analyzer.HutchPlusPlus(100, seed);
            Assert.That(plus.Products, Is.EqualTo(100));
            hutchPlusPlus += Math.Pow(plus.Estimate - exact, 2);
        }

        double rmsHutchinson = Math.Sqrt(hutchinson / Seeds);
        double rmsHutchPlusPlus = Math.Sqrt(hutchPlusPlus / Seeds);
        TestContext.Out.WriteLine($"RMS error over {Seeds} seeds at 100 products: Hutchinson {rmsHutchinson:G4}, Hutch++ {rmsHutchPlusPlus:G4}");
        Assert.That(rmsHutchPlusPlus, Is.LessThanOrEqualTo(rmsHutchinson / 3));
        Assert.That(rmsHutchinson, Is.EqualTo(6.63).Within(2.5), "Hutchinson's error is about its theoretical standard error");
    }

    [Test]
    public void CanFindEigenpairsOfDiagonalOperatorExactly()
    {
        double[] diagonal = Enumerable.Range(1, 50).Select(i => (double)i * i / 10).ToArray();
        var matrix = new double[50 * 50];
        for (int i = 0; i < 50; i++)
        {
            matrix[(i * 50) + i] = diagonal[i];
        }

        var analyzer = new HessianAnalyzer(new DenseSymmetricOperator(matrix));
        HessianEigenpairs pairs = analyzer.TopEigenpairs(3, new LanczosOptions { Seed = 3, Tolerance = 1e-12 });
        Assert.That(pairs.Eigenvalues, Is.EqualTo(new[] { 250.0, 240.1, 230.4 }).Within(1e-9));
        Assert.That(Math.Abs(pairs.Eigenvectors[0][49]), Is.EqualTo(1).Within(1e-6));
        Assert.That(pairs.Eigenvectors[0][49], Is.Positive, "canonical sign");
        SpectralDensity density = analyzer.SpectralDensity(new SpectralDensityOptions { Steps = 50, Seed = 1 });
        Assert.That(density.Nodes[0], Is.EqualTo(diagonal).Within(1e-8), "50 steps on a 50-dimensional operator recover the spectrum");
        Assert.That(density.Weights[0].Sum(), Is.EqualTo(1).Within(1e-12));
    }

    [Test]
    public void CanFindTheTopEigenvalueAloneWithoutStoppingAtTheFirstRitzValue()
    {
        // One Ritz value has no gap to measure: the stopping rule must not read that as convergence.
        var analyzer = new HessianAnalyzer(ReferenceHessian.Operator());
        HessianEigenpairs top = analyzer.TopEigenpairs(1, new LanczosOptions { Seed = 9, Tolerance = 1e-8 });
        Assert.That(top.Products, Is.GreaterThan(2));
        Assert.That(top.Eigenvalues[0], Is.EqualTo(42.58040242869059).Within(1e-8 * 42.6));
    }

    [Test]
    public void CanSmoothDensityToUnitArea()
    {
        var density = new SpectralDensity([[1.0, 3.0]], [[0.25, 0.75]], [[]], [[]], 2);
        (double[] grid, double[] curve) = density.Smooth(bins: 2001, sigmaSquared: 1e-3);
        double step = grid[1] - grid[0];
        Assert.That(curve.Sum() * step, Is.EqualTo(1).Within(1e-12));
        Assert.That(grid[0], Is.EqualTo(0.99).Within(1e-12));
        Assert.That(grid[^1], Is.EqualTo(3.01).Within(1e-12));
        int peak = Array.IndexOf(curve, curve.Max());
        Assert.That(grid[peak], Is.EqualTo(3).Within(2 * step));
    }

    [Test]
    public void TopEigenpairsFailsOnCountOutOfRange()
    {
        var analyzer = new HessianAnalyzer(ReferenceHessian.Operator());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => analyzer.TopEigenpairs(338));
        Assert.That(ex!.Message, Does.Contain("between 1 and 337"));
        Assert.Throws<ArgumentException>(() => analyzer.PowerIteration(2, new PowerIterationOptions { StartVectors = [new double[337]] }));
    }
}
