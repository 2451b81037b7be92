using LossLandscape.Topology.Spectra;
using MathNet.Numerics.LinearAlgebra;

namespace LossLandscape.Topology.Tests.Spectra;

/// <summary>The most negative eigenvalues and one parameter block's spectrum, against PyTorch's saved Hessian and MathNet.</summary>
public class BottomAndBlockSpectraTests
{
    [Test]
    public void CanFindTheMostNegativeEigenvaluesAsPyTorchsExactOnes()
    {
        var analyzer = new SpectralAnalyzer(SavedHessian.Operator());
        Eigenpairs bottom = analyzer.BottomEigenpairs(3, new LanczosOptions { Tolerance = 1e-12, MaxProducts = 337 });
        double[] expected = SavedHessian.Values(SavedHessian.Reference.GetProperty("hessian").GetProperty("bottom5_eigenvalues_asc")).Take(3).ToArray();
        Assert.That(expected[0], Is.LessThan(0), "the case this test is about: a negative curvature direction");
        Assert.That(bottom.Eigenvalues, Is.EqualTo(expected).Within(1e-10));

        // Each returned vector is an eigenvector of A (not of −A) for its eigenvalue.
        var a = SavedHessian.Operator();
        var product = new double[337];
        a.Multiply(bottom.Eigenvectors[0].AsSpan(), product);
        for (int i = 0; i < 337; i++)
        {
            Assert.That(product[i], Is.EqualTo(bottom.Eigenvalues[0] * bottom.Eigenvectors[0][i]).Within(1e-8));
        }
    }

    [Test]
    public void CanTakeTheSpectrumOfOneParameterBlock()
    {
        // fc2.weight: entries 48 … 303 of the flat order (fc1.weight 32, fc1.bias 16 before it).
        const int Offset = 48, Length = 256;
        var block = SymmetricOperators.Block(SavedHessian.Operator(), Offset, Length);
        Assert.That(block.Dimension, Is.EqualTo(Length));
        Eigenpairs top = new SpectralAnalyzer(block).TopEigenpairs(3, new LanczosOptions { Tolerance = 1e-12, MaxProducts = Length });
        Eigenpairs bottom = new SpectralAnalyzer(block).BottomEigenpairs(2, new LanczosOptions { Tolerance = 1e-12, MaxProducts = Length });

        var full = SavedHessian.Matrix();
        var sub = Matrix<double>.Build.Dense(Length, Length, (i, j) => full[((Offset + i) * 337) + Offset + j]);
        double[] exact = sub.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).Order().ToArray();
        Assert.That(top.Eigenvalues, Is.EqualTo(exact.Reverse().Take(3).ToArray()).Within(1e-9 * exact.Max()));
        Assert.That(bottom.Eigenvalues, Is.EqualTo(exact.Take(2).ToArray()).Within(1e-10));
        Assert.That(exact.Max(), Is.LessThan(SavedHessian.Values(SavedHessian.Reference.GetProperty("hessian").GetProperty("top5_eigenvalues_desc"))[0]), "a block, not the whole Hessian");
    }

    [Test]
    public void RefusesBlocksOutsideTheOperator()
    {
        var a = SavedHessian.Operator();
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricOperators.Block(a, 300, 38));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricOperators.Block(a, -1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricOperators.Block(a, 0, 0));
        Assert.Throws<ArgumentException>(() => SymmetricOperators.Block(a, 0, 3).Multiply(new double[4], new double[3]));
    }
}
