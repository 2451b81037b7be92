using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using LossLandscape.Topology.Torch.Tests.Support;

namespace LossLandscape.Topology.Torch.Tests.Sampling;

/// <summary>The public sampling plan: shards that cover a run once, in batch-aligned blocks, and assemble to the single run bit for bit.</summary>
public class SamplingPlanTests
{
    [Test]
    public void CanShareThePointsInBalancedBatchAlignedBlocks()
    {
        using var mlp = ReferenceMlp.Load();
        foreach (int batch in new[] { 1, 4, 16 })
        {
            var loss = new MlpLossFunction(mlp.Model, m => (m.Forward(mlp.X) - mlp.Y).square().mean([1, 2]), preferredBatchSize: batch);
            SamplingPlan plan = Sampler(mlp, loss).OnGrid(-1, 1, 15).Plan();
            Assert.That((plan.PointCount, plan.BatchSize, plan.ValuesPerPoint, plan.Dimension), Is.EqualTo((225, batch, 1, 2)));
            for (int size = 1; size <= 7; size++)
            {
                SamplingShard[] shards = Enumerable.Range(0, size).Select(r => plan.Shard(r, size)).ToArray();
                Assert.That(shards[0].Start, Is.Zero);
                Assert.That(shards[^1].End, Is.EqualTo(225));
                for (int r = 1; r < size; r++)
                {
                    Assert.That(shards[r].Start, Is.EqualTo(shards[r - 1].End), "contiguous");
                    Assert.That(shards[r].Start % batch == 0 || shards[r].Start == 225, Is.True, "starts at a batch boundary");
                }

                int largest = shards.Max(s => s.PointCount);
                int smallest = shards.Min(s => s.PointCount);
                Assert.That(largest - smallest, Is.LessThanOrEqualTo(batch), "balanced to within one batch");
            }
        }
    }

    [Test]
    public void CanAssembleShardsIntoTheSingleRunBitForBit([Values(1, 5)] int batch)
    {
        using var mlp = ReferenceMlp.Load();
        var loss = new MlpLossFunction(mlp.Model, m => (m.Forward(mlp.X) - mlp.Y).square().mean([1, 2]), preferredBatchSize: batch);
        LandscapeSampler sampler = Sampler(mlp, loss).OnGrid(-1, 1, 9);
        Landscape single = sampler.Sample();
        SamplingPlan plan = sampler.Plan();
        SamplingShardResult[] parts = Enumerable.Range(0, 3).Reverse().Select(r => plan.Shard(r, 3).Sample()).ToArray();
        LandscapeSamplingResult assembled = plan.Assemble(parts);
        Assert.That(assembled.Loss.Values.ToArray(), Is.EqualTo(single.Values.ToArray()), "same values, bit for bit, whatever the order of the shards");
        Assert.That(assembled.Loss.Shape.ToArray(), Is.EqualTo(new[] { 9, 9 }));
        Assert.That(assembled.PointsEvaluated, Is.EqualTo(81));
    }

    [Test]
    public void AssembleRefusesShardsThatOverlapOrLeavePointsOut()
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        SamplingPlan plan = Sampler(mlp, loss).OnGrid(-1, 1, 4).Plan();
        SamplingShardResult first = plan.Shard(0, 2).Sample();
        SamplingShardResult second = plan.Shard(1, 2).Sample();
        Assert.That(Assert.Throws<ArgumentException>(() => plan.Assemble([first]))!.Message, Does.Contain("Point 8 is in no shard"));
        Assert.That(Assert.Throws<ArgumentException>(() => plan.Assemble([first, second, first]))!.Message, Does.Contain("Point 0 is in more than one shard"));
        Assert.That(Assert.Throws<ArgumentException>(() => plan.Assemble([first with { End = 99 }, second]))!.Message, Does.Contain("this plan has 16 points"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => plan.Shard(2, 2))!.ParamName, Is.EqualTo("index"));
        Assert.That(Assert.Throws<ArgumentException>(() => plan.Assemble(new double[3], 0, 0))!.Message, Does.Contain("16 points of 1 values need 16"));
    }

    private static LandscapeSampler Sampler(ReferenceMlp mlp, ILossFunction loss)
        => new LandscapeSampler(loss).Along(DirectionSet.FromVectors(mlp.Model, ReferenceMlp.Vector("hessian", "top1_eigenvector"), ReferenceMlp.Vector("hessian", "top2_eigenvector")));
}
