using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using LossLandscape.Topology.Torch.Tests.Support;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Sampling;

/// <summary>A batched loss owns its run: one scope per run, disposed at its end whatever the end, and nothing set outlives it.</summary>
public class BatchedRunScopeTests
{
    [TestCase("finishes")]
    [TestCase("throws")]
    [TestCase("is cancelled")]
    public void OpensOneScopePerRunAndClosesItWhenTheRun(string end)
    {
        using var mlp = ReferenceMlp.Load();
        using var cancel = new CancellationTokenSource();
        var loss = new CountingLoss(new MlpLossFunction(mlp.Model, m => (m.Forward(mlp.X) - mlp.Y).square().mean([1, 2]), preferredBatchSize: 4));
        loss.OnBatch = n =>
        {
            Assert.That(loss.Open, Is.EqualTo(1), "every batch runs inside the run's scope");
            if (n == 3 && end == "throws")
            {
                throw new InvalidOperationException("loss failed");
            }

            if (n == 3 && end == "is cancelled")
            {
                cancel.Cancel();
            }
        };
        DirectionSet directions = new RandomDirectionSampler(1).Sample(mlp.Model, 2);
        LandscapeSampler sampler = new LandscapeSampler(loss).Along(directions).OnGrid(-1, 1, 6);
        TestDelegate run = () => sampler.Sample(cancellationToken: cancel.Token);
        switch (end)
        {
            case "finishes":
                run();
                Assert.That(loss.Batches, Is.EqualTo(9), "36 points in batches of 4");
                break;
            case "throws":
                Assert.Throws<InvalidOperationException>(run);
                break;
            default:
                Assert.Throws<OperationCanceledException>(run);
                break;
        }

        Assert.That((loss.Begun, loss.Open), Is.EqualTo((1, 0)), "one scope, closed");
        new LandscapeSampler(loss).Along(directions).OnGrid(-1, 1, 3).WithBatching(false).Sample();
        Assert.That(loss.Begun, Is.EqualTo(1), "an unbatched run opens no batched scope");
    }

    [Test]
    public void ConcurrentHoldsOfLibTorchsThreadsPutTheCountBackOnlyAfterTheLast()
    {
        int before = get_num_threads();
        set_num_threads(2);
        try
        {
            // The hold MlpLossFunction's run scope takes when its kernels run, taken directly (any CPU).
            IDisposable first = Topology.Torch.Kernels.CpuMlp.TakeOverThreads();
            IDisposable second = Topology.Torch.Kernels.CpuMlp.TakeOverThreads();
            Assert.That(get_num_threads(), Is.EqualTo(1));
            first.Dispose();
            Assert.That(get_num_threads(), Is.EqualTo(1), "the second run still holds them");
            first.Dispose();
            Assert.That(get_num_threads(), Is.EqualTo(1), "disposing a scope twice counts once");
            second.Dispose();
            Assert.That(get_num_threads(), Is.EqualTo(2), "the last run to finish puts the count back");
        }
        finally
        {
            set_num_threads(before);
        }
    }

    /// <summary>A batched loss that counts its run scopes and batches around another one.</summary>
    private sealed class CountingLoss(IBatchedLossFunction inner) : IBatchedLossFunction
    {
        public int Begun { get; private set; }

        public int Open { get; private set; }

        public int Batches { get; private set; }

        public Action<int>? OnBatch { get; set; }

        public nn.Module Model => inner.Model;

        public bool RequiresInputGradients => inner.RequiresInputGradients;

        public IReadOnlyList<string> MetricNames => inner.MetricNames;

        public int PreferredBatchSize => inner.PreferredBatchSize;

        public double Evaluate(Span<double> metrics) => inner.Evaluate(metrics);

        public void EvaluateBatch(IReadOnlyList<Tensor> parameters, Span<double> losses, Span<double> metrics)
        {
            OnBatch?.Invoke(++Batches);
            inner.EvaluateBatch(parameters, losses, metrics);
        }

        public IDisposable BeginRun()
        {
            Begun++;
            Open++;
            IDisposable scope = inner.BeginRun();
            return new Closing(() =>
            {
                scope.Dispose();
                Open--;
            });
        }

        private sealed class Closing(Action close) : IDisposable
        {
            public void Dispose() => close();
        }
    }
}
