using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Safety;

/// <summary>
/// A model with BatchNorm in train() mode: sampling and Hessian work must leave every parameter and buffer
/// (running_mean, running_var, num_batches_tracked) and every training flag as they were, bit for bit, also after
/// an exception and a cancellation.
/// </summary>
public class ModelStateTests
{
    [Test]
    public void CanKeepBuffersAndModesAfterSampling([Values(false, true)] bool training, [Values("end", "throw", "cancel")] string ending)
    {
        using var model = BatchNormModel();
        model.train(training);
        using Tensor x = randn(32, 3, dtype: float64, generator: new Generator(5));
        using Tensor y = randn(32, 1, dtype: float64, generator: new Generator(6));
        int calls = 0;
        using var cancel = new CancellationTokenSource();
        var loss = LossFunction.FullBatch(model, () =>
        {
            calls++;
            if (ending == "throw" && calls == 7)
            {
                throw new InvalidOperationException("boom");
            }

            if (ending == "cancel" && calls == 7)
            {
                cancel.Cancel();
            }

            return nn.functional.mse_loss(model.call(x), y);
        });
        byte[] before = State(model);
        double evalLossBefore = EvalLoss(model, x, y);
        var sampler = new LandscapeSampler(loss).Along(new RandomDirectionSampler(3).Sample(model, 2)).OnGrid(-1, 1, 5);
        switch (ending)
        {
            case "end":
                sampler.Sample();
                break;
            case "throw":
                Assert.Throws<InvalidOperationException>(() => sampler.Sample());
                break;
            default:
                Assert.Throws<OperationCanceledException>(() => sampler.Sample(cancellationToken: cancel.Token));
                break;
        }

        Assert.That(State(model), Is.EqualTo(before), "parameters, buffers and training flags");
        Assert.That(model.training, Is.EqualTo(training));
        Assert.That(EvalLoss(model, x, y), Is.EqualTo(evalLossBefore));
    }

    [Test]
    public void CanGiveTrainModeValuesIndependentOfPointOrder()
    {
        // Every point starts from the caller's buffers, so a point's value does not depend on the points before it.
        using var model = BatchNormModel();
        model.train();
        using Tensor x = randn(32, 3, dtype: float64, generator: new Generator(5));
        using Tensor y = randn(32, 1, dtype: float64, generator: new Generator(6));
        var loss = LossFunction.FullBatch(model, () => nn.functional.mse_loss(model.call(x), y));
        DirectionSet directions = new RandomDirectionSampler(3).Sample(model, 1);
        double[] forward = new LandscapeSampler(loss).Along(directions).AtPoints(new double[,] { { -1 }, { 0 }, { 1 } }).Sample().Values.ToArray();
        double[] backward = new LandscapeSampler(loss).Along(directions).AtPoints(new double[,] { { 1 }, { 0 }, { -1 } }).Sample().Values.ToArray();
        Assert.That(backward.Reverse(), Is.EqualTo(forward));
    }

    [Test]
    public void CanKeepBuffersAfterHessianWork([Values(false, true)] bool training)
    {
        using var model = BatchNormModel();
        model.train(training);
        using Tensor x = randn(32, 3, dtype: float64, generator: new Generator(5));
        using Tensor y = randn(32, 1, dtype: float64, generator: new Generator(6));
        var loss = LossFunction.MiniBatches(model, [0, 1], b => nn.functional.mse_loss(model.call(x[TensorIndex.Slice(b * 16, (b + 1) * 16)]), y[TensorIndex.Slice(b * 16, (b + 1) * 16)]));
        byte[] before = State(model);
        using (var analyzer = new HessianAnalyzer(loss))
        {
            analyzer.TopEigenpairs(2);
            analyzer.HutchPlusPlus(new HutchPlusPlusOptions { Products = 12 });
            analyzer.SpectralDensity(new SpectralDensityOptions { Steps = 5, Runs = 1 });
        }

        Assert.That(State(model), Is.EqualTo(before));
        new HessianDirectionSampler(loss).Sample(model, 2);
        Assert.That(State(model), Is.EqualTo(before));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void CanTakeManyProductsOfAFullBatchLossAndKeepTheCallersBufferChanges(bool training)
    {
        // A single-batch loss keeps its gradient graph between products, and the graph holds the BatchNorm
        // buffers. In train mode the forward pass moves them, so the operator keeps no graph and restores them after
        // every product (restoring them under a kept graph made libtorch abort the process). In eval mode a caller
        // who changes a buffer between products gets a managed exception instead of that abort.
        using var model = BatchNormModel();
        model.train(training);
        using Tensor x = randn(32, 3, dtype: float64, generator: new Generator(5));
        using Tensor y = randn(32, 1, dtype: float64, generator: new Generator(6));
        var loss = LossFunction.FullBatch(model, () => nn.functional.mse_loss(model.call(x), y));
        byte[] before = State(model);
        using var op = new HessianOperator(loss);
        var v = new double[op.Dimension];
        var first = new double[op.Dimension];
        var again = new double[op.Dimension];
        v[0] = 1;
        op.Multiply(v, first);
        op.Multiply(v, again);
        Assert.That(again, Is.EqualTo(first), "the same product twice");
        Assert.That(State(model), Is.EqualTo(before));
        using (no_grad())
        {
            model.buffers().First().add_(0.5);
        }

        byte[] changed = State(model);
        if (training)
        {
            op.Multiply(v, again);
            Assert.That(State(model), Is.EqualTo(changed), "the caller's change is kept, not undone");
        }
        else
        {
            Assert.That(Assert.Throws<InvalidOperationException>(() => op.Multiply(v, again))!.Message, Does.Contain("buffers changed"));
        }
    }

    [Test]
    public void HessianFailsNamingTheProductWhenTheLossIsNotFinite()
    {
        using var model = BatchNormModel();
        model.eval();
        using Tensor x = randn(8, 3, dtype: float64, generator: new Generator(5));
        var loss = LossFunction.FullBatch(model, () => model.call(x).sum() * double.NaN);
        using var analyzer = new HessianAnalyzer(loss);
        Assert.That(Assert.Throws<NotFiniteNumberException>(() => analyzer.TopEigenpairs(2))!.Message, Does.Contain("product").And.Contain("parameter"));
        Assert.Throws<NotFiniteNumberException>(() => analyzer.Hutchinson(new HutchinsonOptions { Probes = 3 }));
        Assert.Throws<NotFiniteNumberException>(() => analyzer.PowerIteration(1));
        Assert.Throws<NotFiniteNumberException>(() => analyzer.SpectralDensity(new SpectralDensityOptions { Steps = 4, Runs = 1 }));
        Assert.Throws<NotFiniteNumberException>(() => new HessianDirectionSampler(loss).Sample(model, 2));
    }

    [Test]
    public void SamplingFromASecondThreadOnTheSameModelIsRefused()
    {
        using var model = BatchNormModel();
        using Tensor x = randn(8, 3, dtype: float64, generator: new Generator(5));
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var slow = LossFunction.FullBatch(model, () =>
        {
            inside.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return model.call(x).sum();
        });
        DirectionSet directions = new RandomDirectionSampler(1).Sample(model, 1);
        byte[] before = State(model);
        var first = Task.Run(() => new LandscapeSampler(slow).Along(directions).OnGrid(-1, 1, 2).Sample());
        Assert.That(inside.Wait(TimeSpan.FromSeconds(30)), Is.True);
        var fast = LossFunction.FullBatch(model, () => model.call(x).sum());
        var ex = Assert.Throws<InvalidOperationException>(() => new LandscapeSampler(fast).Along(directions).OnGrid(-1, 1, 3).Sample());
        Assert.That(ex!.Message, Does.Contain("Another thread"));
        release.Set();
        first.Wait();
        Assert.That(State(model), Is.EqualTo(before));
    }

    [Test]
    public void CanReportKernelUseAsWhatRuns()
    {
        using var model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1));
        using Tensor x = randn(5, 2);
        var loss = new MlpLossFunction(model, mlp => mlp.Forward(x).square().mean([1, 2]));
        Assert.That(loss.UsesCpuKernels, Is.EqualTo(Topology.Torch.Kernels.CpuMlp.Width > 0));
        Assert.That(loss.WithCpuKernels(false).UsesCpuKernels, Is.False);
    }

    private static nn.Module<Tensor, Tensor> BatchNormModel()
    {
        manual_seed(11);
        var model = nn.Sequential(nn.Linear(3, 6), nn.BatchNorm1d(6), nn.Tanh(), nn.Linear(6, 1));
        model.to(float64);
        return model;
    }

    private static double EvalLoss(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        bool training = model.training;
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double value = nn.functional.mse_loss(model.call(x), y).ToDouble();
        model.train(training);
        return value;
    }

    /// <summary>Every parameter's and buffer's bytes, and every module's training flag.</summary>
    private static byte[] State(nn.Module model)
    {
        using var scope = NewDisposeScope();
        var bytes = new List<byte>();
        foreach (Tensor t in model.parameters().Cast<Tensor>().Concat(model.buffers()))
        {
            Tensor c = t.detach().cpu().contiguous();
            bytes.AddRange(c.dtype == ScalarType.Int64 ? c.data<long>().ToArray().SelectMany(BitConverter.GetBytes) : c.to_type(ScalarType.Float64).data<double>().ToArray().SelectMany(BitConverter.GetBytes));
        }

        foreach ((string _, nn.Module m) in model.named_modules())
        {
            bytes.Add(m.training ? (byte)1 : (byte)0);
        }

        return [.. bytes];
    }
}
