using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Tests.Support;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Hessian;

/// <summary>
/// The Gauss–Newton and empirical-Fisher operators against explicit matrices: JᵀHJ from the output Jacobian built
/// row by row with autograd, and (1/N) Σ ∇ℓₙ∇ℓₙᵀ from one backward pass per sample; eigenvalues against MathNet.
/// </summary>
public class OutputCurvatureTests
{
    [Test]
    public void CanMatchTheGaussNewtonMatrixOfTheReferenceMlp()
    {
        using var mlp = ReferenceMlp.Load();
        Matrix<double> j = OutputJacobian(mlp.Model, mlp.X);                     // 256 × 337
        Matrix<double> expected = j.TransposeThisAndMultiply(j) * (2.0 / 256); // mean((f − y)²): H = 2/N · I
        using var ggn = OutputCurvatureOperator.GaussNewton(mlp.Model, mlp.X, mlp.Y, OutputLoss.MeanSquaredError);
        AssertProductsMatch(ggn, expected, seed: 1);

        Eigenpairs top = new SpectralAnalyzer(ggn).TopEigenpairs(3, new LanczosOptions { Tolerance = 1e-12, MaxProducts = 337 });
        double[] exact = expected.Evd(Symmetricity.Symmetric).EigenValues.Select(e => e.Real).OrderDescending().ToArray();
        Assert.That(top.Eigenvalues, Is.EqualTo(exact.Take(3)).Within(1e-9 * exact[0]));
        Assert.That(exact[^1], Is.GreaterThan(-1e-12 * exact[0]), "a Gauss–Newton matrix is positive semi-definite");

        // Not the Hessian: the saved Hessian has negative eigenvalues, the Gauss–Newton matrix none.
        double[] hessianBottom = ReferenceMlp.Vector("hessian", "bottom5_eigenvalues_asc");
        Assert.That(hessianBottom[0], Is.LessThan(-1e-9 * exact[0]));
    }

    [Test]
    public void CanMatchTheEmpiricalFisherOfTheReferenceMlp()
    {
        using var mlp = ReferenceMlp.Load();
        Matrix<double> expected = ExplicitFisher(mlp.Model, mlp.X.shape[0], n => (mlp.Model.call(mlp.X[n].unsqueeze(0)) - mlp.Y[n].unsqueeze(0)).square().mean());
        using var fisher = OutputCurvatureOperator.EmpiricalFisher(mlp.Model, mlp.X, mlp.Y, OutputLoss.MeanSquaredError);
        AssertProductsMatch(fisher, expected, seed: 2);
        Assert.That(fisher.ProductCount, Is.EqualTo(4));
    }

    [Test]
    public void CanMatchTheCrossEntropyCurvatureOfAClassifier()
    {
        using var model = Classifier(seed: 5);
        const int n = 24, c = 3;
        var random = new Random(6);
        using Tensor x = tensor(Enumerable.Range(0, n * 2).Select(_ => random.NextDouble() * 2 - 1).ToArray(), [n, 2], dtype: ScalarType.Float64);
        using Tensor y = tensor(Enumerable.Range(0, n).Select(_ => (long)random.Next(c)).ToArray(), [n]);

        // G = Σₙ Jₙᵀ (diag(pₙ) − pₙpₙᵀ)/N Jₙ, with Jₙ the 3 rows of sample n's logits.
        Matrix<double> j = OutputJacobian(model, x); // (N·C) × P, sample-major
        var h = Matrix<double>.Build.Dense(n * c, n * c);
        using (no_grad())
        {
            using Tensor p = nn.functional.softmax(model.call(x), 1);
            double[] probabilities = p.data<double>().ToArray();
            for (int s = 0; s < n; s++)
            {
                for (int a = 0; a < c; a++)
                {
                    for (int b = 0; b < c; b++)
                    {
                        double pa = probabilities[s * c + a], pb = probabilities[s * c + b];
                        h[s * c + a, s * c + b] = ((a == b ? pa : 0) - pa * pb) / n;
                    }
                }
            }
        }

        using var ggn = OutputCurvatureOperator.GaussNewton(model, x, y, OutputLoss.CrossEntropy);
        AssertProductsMatch(ggn, j.TransposeThisAndMultiply(h * j), seed: 3);

        Matrix<double> fisher = ExplicitFisher(model, n, s => nn.functional.cross_entropy(model.call(x[s].unsqueeze(0)), y[s].unsqueeze(0)));
        using var ef = OutputCurvatureOperator.EmpiricalFisher(model, x, y, OutputLoss.CrossEntropy);
        AssertProductsMatch(ef, fisher, seed: 4);
    }

    [Test]
    public void CanLeaveFrozenParametersOutAndTheModelAsItWas()
    {
        // Train-mode BatchNorm moves its statistics on every forward pass: the operator must put them back.
        using var model = nn.Sequential(
            ("fc1", nn.Linear(2, 6, dtype: ScalarType.Float64)),
            ("bn", nn.BatchNorm1d(6, dtype: ScalarType.Float64)),
            ("act", nn.Tanh()),
            ("fc2", nn.Linear(6, 1, dtype: ScalarType.Float64)));
        model.train();
        var random = new Random(7);
        using Tensor x = tensor(Enumerable.Range(0, 16 * 2).Select(_ => random.NextDouble()).ToArray(), [16, 2], dtype: ScalarType.Float64);
        using Tensor y = tensor(Enumerable.Range(0, 16).Select(_ => random.NextDouble()).ToArray(), [16, 1], dtype: ScalarType.Float64);
        foreach (var p in model.named_parameters().Where(p => p.name.StartsWith("fc1", StringComparison.Ordinal)))
        {
            p.parameter.requires_grad = false;
        }

        long[] parameters = ParameterAssert.Bits(model);
        double[][] buffers = model.buffers().Select(b => b.to_type(ScalarType.Float64).data<double>().ToArray()).ToArray();
        foreach (bool fisher in new[] { false, true })
        {
            using OutputCurvatureOperator op = fisher
                ? OutputCurvatureOperator.EmpiricalFisher(model, x, y, OutputLoss.MeanSquaredError)
                : OutputCurvatureOperator.GaussNewton(model, x, y, OutputLoss.MeanSquaredError);
            Assert.That(op.IsEmpiricalFisher, Is.EqualTo(fisher));
            double[] v = Enumerable.Range(0, op.Dimension).Select(_ => random.NextDouble() - 0.5).ToArray();
            var result = new double[v.Length];
            op.Multiply(v, result);
            Assert.That(result.Take(18), Is.All.EqualTo(0.0), "fc1's rows (frozen)");
            Assert.That(result.Skip(18).Any(r => r != 0), Is.True);
        }

        Assert.That(ParameterAssert.Bits(model), Is.EqualTo(parameters));
        Assert.That(model.buffers().Select(b => b.to_type(ScalarType.Float64).data<double>().ToArray()).ToArray(), Is.EqualTo(buffers));
        Assert.That(model.training, Is.True);
    }

    [Test]
    public void CanRefuseInputsThatDoNotFit()
    {
        using var model = Classifier(seed: 1);
        using Tensor x = zeros(4, 2, dtype: ScalarType.Float64);
        using Tensor labels = zeros(4, dtype: ScalarType.Int64);
        using Tensor fewLabels = zeros(3, dtype: ScalarType.Int64);
        using Tensor floatLabels = zeros(4, dtype: ScalarType.Float64);
        using Tensor wrongShape = zeros(4, 1, dtype: ScalarType.Float64);
        using Tensor none = zeros(0, 2, dtype: ScalarType.Float64);
        Assert.That(() => OutputCurvatureOperator.GaussNewton(model, x, fewLabels, OutputLoss.CrossEntropy),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("targets").And.Message.Contains("[3]"));
        Assert.That(() => OutputCurvatureOperator.EmpiricalFisher(model, x, floatLabels, OutputLoss.CrossEntropy),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("targets").And.Message.Contains("Float64"));
        Assert.That(() => OutputCurvatureOperator.GaussNewton(model, none, labels, OutputLoss.CrossEntropy),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("inputs"));
        Assert.That(() => OutputCurvatureOperator.GaussNewton(model, x, labels, (OutputLoss)9),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("loss"));

        // MSE against [4, 1] targets while the model gives [4, 3]: found at the first product, before any number.
        using var mse = OutputCurvatureOperator.GaussNewton(model, x, wrongShape, OutputLoss.MeanSquaredError);
        var v = new double[mse.Dimension];
        Assert.That(() => mse.Multiply(v, new double[mse.Dimension]),
            Throws.InvalidOperationException.With.Message.Contains("[4, 3]").And.Message.Contains("[4, 1]"));
        Assert.That(() => mse.Multiply(new double[3], new double[mse.Dimension]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("vector"));
    }

    private static nn.Module<Tensor, Tensor> Classifier(int seed)
    {
        manual_seed(seed);
        return nn.Sequential(
            ("fc1", nn.Linear(2, 8, dtype: ScalarType.Float64)),
            ("act", nn.Tanh()),
            ("fc2", nn.Linear(8, 3, dtype: ScalarType.Float64)));
    }

    /// <summary>∂f_k/∂θ for every output element k (row-major over the output), one backward pass per row.</summary>
    private static Matrix<double> OutputJacobian(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor[] parameters = model.parameters().ToArray();
        Tensor output = model.call(x).flatten();
        int p = (int)parameters.Sum(t => t.numel());
        var j = Matrix<double>.Build.Dense((int)output.numel(), p);
        for (int k = 0; k < output.numel(); k++)
        {
            double[] row = autograd.grad([output[k]], parameters, retain_graph: true).SelectMany(g => g.data<double>().ToArray()).ToArray();
            j.SetRow(k, row);
        }

        return j;
    }

    /// <summary>(1/N) Σₙ ∇ℓₙ∇ℓₙᵀ from one backward pass of each sample's own loss.</summary>
    private static Matrix<double> ExplicitFisher(nn.Module<Tensor, Tensor> model, long samples, Func<long, Tensor> sampleLoss)
    {
        using var scope = NewDisposeScope();
        Tensor[] parameters = model.parameters().ToArray();
        int p = (int)parameters.Sum(t => t.numel());
        var f = Matrix<double>.Build.Dense(p, p);
        for (long n = 0; n < samples; n++)
        {
            var g = Vector<double>.Build.DenseOfArray(autograd.grad([sampleLoss(n)], parameters).SelectMany(t => t.data<double>().ToArray()).ToArray());
            f += g.OuterProduct(g);
        }

        return f / samples;
    }

    private static void AssertProductsMatch(ISymmetricOperator op, Matrix<double> expected, int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 4; trial++)
        {
            double[] v = Enumerable.Range(0, op.Dimension).Select(_ => random.NextDouble() - 0.5).ToArray();
            var result = new double[v.Length];
            op.Multiply(v, result);
            double[] exact = (expected * Vector<double>.Build.DenseOfArray(v)).ToArray();
            double scale = exact.Max(Math.Abs);
            Assert.That(scale, Is.GreaterThan(0));
            Assert.That(result, Is.EqualTo(exact).Within(1e-11 * scale));
        }
    }
}
