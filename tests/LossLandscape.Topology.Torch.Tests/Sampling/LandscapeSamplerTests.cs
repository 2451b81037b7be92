using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Parameters;
using LossLandscape.Topology.Torch.Sampling;
using LossLandscape.Topology.Torch.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Sampling;

public class LandscapeSamplerTests
{
    [Test]
    public void CanMatchManualPerturbEvaluateRestoreAlongOneDirection()
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        DirectionSet direction = new RandomDirectionSampler(5).Sample(mlp.Model, 1);
        Landscape line = new LandscapeSampler(loss).Along(direction).OnGrid(-0.5, 0.5, 11).Sample();

        double[] theta = ParameterLayout.Flatten(mlp.Model);
        for (int q = 0; q < 11; q++)
        {
            double a = line.Axes[0][q];
            double[] moved = theta.Select((t, i) => t + (a * direction[0][i])).ToArray();
            SetParameters(mlp.Model, moved);
            double expected = mlp.MeanSquaredError().ToDouble();
            Assert.That(line.Values[q], Is.EqualTo(expected).Within(1e-13 * expected), $"alpha = {a}");
        }

        SetParameters(mlp.Model, theta);
    }

    [Test]
    public void CanRestoreParametersBitForBitAfterNormalEnd([Values(false, true)] bool batched)
    {
        using var mlp = ReferenceMlp.Load();
        long[] before = ParameterAssert.Bits(mlp.Model);
        ILossFunction loss = batched ? MseLoss(mlp) : LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        new LandscapeSampler(loss).Along(new RandomDirectionSampler(1).Sample(mlp.Model, 2)).OnGrid(-1, 1, 7).Sample();
        Assert.That(ParameterAssert.Bits(mlp.Model), Is.EqualTo(before));
    }

    [Test]
    public void CanRestoreParametersBitForBitAfterLossThrowsOnPoint17()
    {
        using var mlp = ReferenceMlp.Load();
        long[] before = ParameterAssert.Bits(mlp.Model);
        int calls = 0;
        var loss = LossFunction.FullBatch(mlp.Model, () => ++calls == 18 ? throw new InvalidOperationException("boom at point 17") : mlp.MeanSquaredError());
        var sampler = new LandscapeSampler(loss).Along(new RandomDirectionSampler(1).Sample(mlp.Model, 2)).OnGrid(-1, 1, 7);
        var ex = Assert.Throws<InvalidOperationException>(() => sampler.Sample());
        Assert.That(ex!.Message, Is.EqualTo("boom at point 17"));
        Assert.That(ParameterAssert.Bits(mlp.Model), Is.EqualTo(before));
    }

    [Test]
    public void CanRestoreParametersBitForBitAfterCancellation([Values(false, true)] bool batched)
    {
        using var mlp = ReferenceMlp.Load();
        long[] before = ParameterAssert.Bits(mlp.Model);
        using var cancel = new CancellationTokenSource();
        ILossFunction loss = batched ? MseLoss(mlp, batchSize: 4) : LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        var progress = new SynchronousProgress(p =>
        {
            if (p.Completed >= 20)
            {
                cancel.Cancel();
            }
        });
        var sampler = new LandscapeSampler(loss).Along(new RandomDirectionSampler(1).Sample(mlp.Model, 2)).OnGrid(-1, 1, 9);
        Assert.Throws<OperationCanceledException>(() => sampler.Sample(progress, cancel.Token));
        Assert.That(ParameterAssert.Bits(mlp.Model), Is.EqualTo(before));
    }

    [Test]
    public void CanResumeFromCheckpointWithValuesIdenticalToUninterruptedRun([Values(false, true)] bool batched)
    {
        using var mlp = ReferenceMlp.Load();
        ILossFunction loss = batched ? MseLoss(mlp, batchSize: 8) : LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        var sampler = new LandscapeSampler(loss).Along(new RandomDirectionSampler(9).Sample(mlp.Model, 2)).OnGrid(-1, 1, 11);
        double[] uninterrupted = sampler.Sample().Values.ToArray();

        string path = Path.Combine(Path.GetTempPath(), $"llt-{Guid.NewGuid():N}.ckpt");
        try
        {
            using (var cancel = new CancellationTokenSource())
            {
                var progress = new SynchronousProgress(p =>
                {
                    if (p.Completed >= 50)
                    {
                        cancel.Cancel();
                    }
                });
                Assert.Throws<OperationCanceledException>(() => sampler.WithCheckpoint(path).Sample(progress, cancel.Token));
            }

            // A run killed while writing leaves a partial record behind.
            File.AppendAllBytes(path, [1, 2, 3]);
            LandscapeSamplingResult resumed = sampler.WithCheckpoint(path).SampleWithMetrics();
            Assert.That(resumed.PointsFromCheckpoint, Is.GreaterThanOrEqualTo(50));
            Assert.That(resumed.PointsFromCheckpoint + resumed.PointsEvaluated, Is.EqualTo(121));
            Assert.That(resumed.Loss.Values.ToArray(), Is.EqualTo(uninterrupted), "bit-identical values");

            LandscapeSamplingResult again = sampler.WithCheckpoint(path).SampleWithMetrics();
            Assert.That((again.PointsEvaluated, again.PointsFromCheckpoint), Is.EqualTo((0, 121)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void SampleFailsOnCheckpointOfAnotherRun()
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        var directions = new RandomDirectionSampler(9).Sample(mlp.Model, 2);
        string path = Path.Combine(Path.GetTempPath(), $"llt-{Guid.NewGuid():N}.ckpt");
        try
        {
            new LandscapeSampler(loss).Along(directions).OnGrid(-1, 1, 3).WithCheckpoint(path).Sample();
            var other = new LandscapeSampler(loss).Along(directions).OnGrid(-2, 2, 3).WithCheckpoint(path);
            var ex = Assert.Throws<InvalidOperationException>(() => other.Sample());
            Assert.That(ex!.Message, Does.Contain("different sampling run"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void CanSampleThousandsOfPointsWithoutLeakingTensors([Values(false, true)] bool batched)
    {
        using var mlp = ReferenceMlp.Load();
        ILossFunction loss = batched ? MseLoss(mlp) : LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        var sampler = new LandscapeSampler(loss).Along(new RandomDirectionSampler(2).Sample(mlp.Model, 2)).OnGrid(-1, 1, 45);
        sampler.Sample(); // warm up anything created once
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Landscape landscape = sampler.Sample();
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.That(landscape.Count, Is.EqualTo(2025));
        Assert.That(after, Is.EqualTo(before));
    }

    [Test]
    public void CanReportProgressWithEta()
    {
        using var mlp = ReferenceMlp.Load();
        var reports = new List<SamplingProgress>();
        new LandscapeSampler(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError))
            .Along(new RandomDirectionSampler(2).Sample(mlp.Model, 1)).OnGrid(-1, 1, 10)
            .Sample(new SynchronousProgress(reports.Add));
        Assert.That(reports.Select(r => r.Completed), Is.EqualTo(Enumerable.Range(0, 11)));
        Assert.That(reports.All(r => r.Total == 10), Is.True);
        Assert.That(reports[0].Remaining, Is.Null);
        Assert.That(reports[^1].Remaining, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void CanRecordExtraMetricsBesideTheLoss()
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError).WithMetric("max_error", () => (mlp.Model.call(mlp.X) - mlp.Y).abs().max());
        LandscapeSamplingResult result = new LandscapeSampler(loss).Along(new RandomDirectionSampler(4).Sample(mlp.Model, 2)).OnGrid(-1, 1, 5).SampleWithMetrics();
        Landscape maxError = result.Metrics["max_error"];
        for (int q = 0; q < 25; q++)
        {
            Assert.That(maxError.Values[q] * maxError.Values[q], Is.GreaterThanOrEqualTo(result.Loss.Values[q]), "max² ≥ mean of squares");
        }
    }

    [Test]
    public void CanSampleScatteredPointsLikeTheGrid()
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        var directions = new RandomDirectionSampler(6).Sample(mlp.Model, 2);
        Landscape grid = new LandscapeSampler(loss).Along(directions).OnGrid(-1, 1, 3).Sample();
        Landscape points = new LandscapeSampler(loss).Along(directions).AtPoints(new double[,] { { 1, -1 }, { 0, 0 }, { -1, 1 } }).Sample();
        Assert.That(points.IsGrid, Is.False);
        Assert.That(points.Values.ToArray(), Is.EqualTo(new[] { grid.GetValue(2, 0), grid.GetValue(1, 1), grid.GetValue(0, 2) }));
    }

    [Test]
    public void AlongFailsOnDirectionsOfAnotherModel()
    {
        using var mlp = ReferenceMlp.Load();
        using var other = nn.Sequential(("fc1", nn.Linear(2, 8, dtype: ScalarType.Float64)));
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        var ex = Assert.Throws<ArgumentException>(() => new LandscapeSampler(loss).Along(new RandomDirectionSampler(1).Sample(other, 2)));
        Assert.That(ex!.Message, Does.Contain("parameter tensors").Or.Contain("fc1.weight"));
        Assert.That(Assert.Throws<ArgumentException>(() => DirectionSet.FromVectors(mlp.Model, new double[336]))!.Message, Does.Contain("336 entries; the model has 337"));
    }

    [Test]
    public void OnGridFailsOnAxisCountMismatch()
    {
        using var mlp = ReferenceMlp.Load();
        var sampler = new LandscapeSampler(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError)).Along(new RandomDirectionSampler(1).Sample(mlp.Model, 2));
        var ex = Assert.Throws<ArgumentException>(() => sampler.OnGrid(LandscapeAxis.Linspace("a", -1, 1, 3)));
        Assert.That(ex!.Message, Does.Contain("1 axes but there are 2 directions"));
        Assert.Throws<InvalidOperationException>(() => new LandscapeSampler(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError)).OnGrid(-1, 1, 3));
    }

    internal static MlpLossFunction MseLoss(ReferenceMlp mlp, int batchSize = 64)
        => new(mlp.Model, m => (m.Forward(mlp.X) - mlp.Y).square().mean([1, 2]), preferredBatchSize: batchSize);

    private static void SetParameters(nn.Module model, double[] flat)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long offset = 0;
        foreach (var p in model.parameters())
        {
            long n = p.numel();
            p.copy_(tensor(flat.AsSpan((int)offset, (int)n).ToArray(), p.shape, dtype: p.dtype));
            offset += n;
        }
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    internal sealed class SynchronousProgress(Action<SamplingProgress> report) : IProgress<SamplingProgress>
    {
        public void Report(SamplingProgress value) => report(value);
    }
}
