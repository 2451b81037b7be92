using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Tests.Support;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Hessian;

public class HessianOperatorTests
{
    [Test]
    public void CanMatchSavedHessianTimesVector()
    {
        using var mlp = ReferenceMlp.Load();
        using var op = new HessianOperator(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        var random = new Random(3);
        for (int trial = 0; trial < 5; trial++)
        {
            double[] v = Enumerable.Range(0, 337).Select(_ => random.NextDouble() - 0.5).ToArray();
            var hv = new double[337];
            op.Multiply(v, hv);
            double[] expected = ReferenceHessian.Multiply(v);
            double scale = expected.Max(Math.Abs);
            Assert.That(hv, Is.EqualTo(expected).Within(1e-12 * scale));
        }

        Assert.That(op.ProductCount, Is.EqualTo(5));
    }

    [Test]
    public void CanMatchTheSavedHessianInSinglePrecisionAndWithAFrozenLayer()
    {
        // Float32 parameters take the in-place float path both ways; a frozen layer keeps its rows and columns zero.
        using var mlp = ReferenceMlp.Load();
        mlp.Model.to(ScalarType.Float32);
        using Tensor x = mlp.X.to_type(ScalarType.Float32);
        using Tensor y = mlp.Y.to_type(ScalarType.Float32);
        using var op = new HessianOperator(LossFunction.FullBatch(mlp.Model, () => (mlp.Model.call(x) - y).square().mean()));
        var random = new Random(8);
        double[] v = Enumerable.Range(0, 337).Select(_ => random.NextDouble() - 0.5).ToArray();
        var hv = new double[337];
        op.Multiply(v, hv);
        double[] expected = ReferenceHessian.Multiply(v);
        double scale = expected.Max(Math.Abs);
        Assert.That(hv, Is.EqualTo(expected).Within(2e-4 * scale));

        var fc1 = mlp.Model.named_parameters().Where(p => p.name.StartsWith("fc1", StringComparison.Ordinal)).Select(p => p.parameter).ToArray();
        foreach (var p in fc1)
        {
            p.requires_grad = false;
        }

        using var frozen = new HessianOperator(LossFunction.FullBatch(mlp.Model, () => (mlp.Model.call(x) - y).square().mean()));
        frozen.Multiply(v, hv);
        int frozenCount = (int)fc1.Sum(p => p.numel());
        Assert.That(hv.Take(frozenCount), Is.All.EqualTo(0.0), "fc1's rows");
        Assert.That(hv.Skip(frozenCount).Any(h => h != 0), Is.True);
    }

    [Test]
    public void CanMatchClosedFormLeastSquaresHessian()
    {
        // L(w, b) = mean((Xw + b − y)²): H = (2/n) AᵀA with A = [X 1] (weights first, then the bias, as the layout has them).
        using var ls = LeastSquares.Create(seed: 4, n: 40, d: 5);
        using var op = new HessianOperator(ls.Loss);
        Matrix<double> expected = ls.ExactHessian();
        for (int j = 0; j < 6; j++)
        {
            var e = new double[6];
            e[j] = 1;
            var column = new double[6];
            op.Multiply(e, column);
            for (int i = 0; i < 6; i++)
            {
                Assert.That(column[i], Is.EqualTo(expected[i, j]).Within(1e-12), $"H[{i}, {j}]");
            }
        }
    }

    [Test]
    public void CanSumMiniBatchesToTheFullBatchProduct()
    {
        using var mlp = ReferenceMlp.Load();
        Tensor[] xs = mlp.X.split(64);
        Tensor[] ys = mlp.Y.split(64);
        var batches = xs.Zip(ys).ToList();
        var batched = LossFunction.MiniBatches(mlp.Model, batches, b => (mlp.Model.call(b.First) - b.Second).square().mean());
        using var full = new HessianOperator(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        using var split = new HessianOperator(batched);
        double[] v = ReferenceHessian.Probe("slq_start");
        double[] a = new double[337];
        double[] b = new double[337];
        full.Multiply(v, a);
        split.Multiply(v, b);
        Assert.That(b, Is.EqualTo(a).Within(1e-12 * a.Max(Math.Abs)));
    }

    [Test]
    public void CanTakeManyProductsWithoutLeakingTensors([Values(1, 4)] int batches)
    {
        using var mlp = ReferenceMlp.Load();
        IHessianLossFunction loss = batches == 1
            ? LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError)
            : LossFunction.MiniBatches(mlp.Model, mlp.X.split(64).Zip(mlp.Y.split(64)).ToList(), b => (mlp.Model.call(b.First) - b.Second).square().mean());
        using var op = new HessianOperator(loss);
        double[] v = ReferenceHessian.Probe("slq_start");
        var hv = new double[337];
        op.Multiply(v, hv);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 300; i++)
        {
            op.Multiply(v, hv);
        }

        Assert.That(DisposeScopeManager.Statistics.ThreadTotalLiveCount, Is.EqualTo(before));
    }

    [Test]
    public void MultiplyFailsOnVectorLengthMismatch()
    {
        using var mlp = ReferenceMlp.Load();
        using var op = new HessianOperator(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        var ex = Assert.Throws<ArgumentException>(() => op.Multiply(new double[336], new double[337]));
        Assert.That(ex!.Message, Does.Contain("336 entries").And.Contain("337"));
    }
}

/// <summary>Linear least squares, whose Hessian is known in closed form.</summary>
internal sealed class LeastSquares : IDisposable
{
    private LeastSquares(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, double[,] design)
    {
        Model = model;
        X = x;
        Y = y;
        Design = design;
        Loss = LossFunction.FullBatch(model, () => (model.call(x) - y).square().mean());
    }

    public nn.Module<Tensor, Tensor> Model { get; }

    public Tensor X { get; }

    public Tensor Y { get; }

    public double[,] Design { get; }

    public IHessianLossFunction Loss { get; }

    public static LeastSquares Create(int seed, int n, int d)
    {
        var random = new Random(seed);
        var design = new double[n, d + 1];
        var flat = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                design[i, j] = flat[(i * d) + j] = (random.NextDouble() * 2) - 1;
            }

            design[i, d] = 1;
        }

        double[] targets = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        manual_seed(seed);
        var model = nn.Linear(d, 1, dtype: ScalarType.Float64);
        return new LeastSquares(model, tensor(flat, [n, d], dtype: ScalarType.Float64), tensor(targets, [n, 1], dtype: ScalarType.Float64), design);
    }

    public Matrix<double> ExactHessian()
    {
        Matrix<double> a = Matrix<double>.Build.DenseOfArray(Design);
        return a.TransposeThisAndMultiply(a) * (2.0 / Design.GetLength(0));
    }

    public void Dispose()
    {
        Model.Dispose();
        X.Dispose();
        Y.Dispose();
    }
}
