using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using LossLandscape.Topology.Torch.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Safety;

/// <summary>Corrupt, foreign or shared checkpoints are refused with a message that says which; none resumes silently.</summary>
public class CheckpointIntegrityTests
{
    private string _path = null!;

    [SetUp]
    public void ChoosePath() => _path = Path.Combine(Path.GetTempPath(), $"llt-{Guid.NewGuid():N}.ckpt");

    [TearDown]
    public void DeletePath() => File.Delete(_path);

    [Test]
    public void ResumeFailsOnAFlippedBitInAnyRecord()
    {
        using var mlp = ReferenceMlp.Load();
        LandscapeSampler sampler = Sampler(mlp);
        sampler.Sample();
        byte[] clean = File.ReadAllBytes(_path);
        var random = new Random(4);
        int headerLength = 8 + 32 + 8 + 8;
        for (int trial = 0; trial < 40; trial++)
        {
            byte[] bytes = (byte[])clean.Clone();
            int at = random.Next(headerLength, bytes.Length);
            bytes[at] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(_path, bytes);
            var ex = Assert.Throws<InvalidOperationException>(() => sampler.Sample(), $"byte {at}");
            Assert.That(ex!.Message, Does.Contain("corrupt"));
        }
    }

    [Test]
    public void ResumeFailsOnADuplicateRecordAndOnATruncatedHeader()
    {
        using var mlp = ReferenceMlp.Load();
        LandscapeSampler sampler = Sampler(mlp);
        sampler.Sample();
        byte[] clean = File.ReadAllBytes(_path);
        int recordLength = 4 + 8 + 8;
        File.WriteAllBytes(_path, [.. clean, .. clean[^recordLength..]]);
        Assert.That(Assert.Throws<InvalidOperationException>(() => sampler.Sample())!.Message, Does.Contain("second time"));

        File.WriteAllBytes(_path, clean[..20]);
        Assert.That(Assert.Throws<InvalidOperationException>(() => sampler.Sample())!.Message, Does.Contain("truncated"));

        File.WriteAllBytes(_path, "not a checkpoint at all"u8.ToArray());
        Assert.That(Assert.Throws<InvalidOperationException>(() => sampler.Sample())!.Message, Does.Contain("is not a sampling checkpoint"));
    }

    [Test]
    public void CanResumeAfterAPartialLastRecordAsAKillLeavesIt()
    {
        using var mlp = ReferenceMlp.Load();
        LandscapeSampler sampler = Sampler(mlp);
        double[] expected = sampler.Sample().Values.ToArray();
        byte[] clean = File.ReadAllBytes(_path);
        File.WriteAllBytes(_path, clean[..^7]);
        LandscapeSamplingResult resumed = sampler.SampleWithMetrics();
        Assert.That((resumed.PointsEvaluated, resumed.PointsFromCheckpoint), Is.EqualTo((1, 8)));
        Assert.That(resumed.Loss.Values.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void ResumeFailsWhenABufferChanged()
    {
        manual_seed(3);
        using var model = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Tanh(), nn.Linear(4, 1));
        model.eval();
        using Tensor x = randn(16, 2);
        var loss = LossFunction.FullBatch(model, () => model.call(x).square().mean());
        var sampler = new LandscapeSampler(loss).Along(new RandomDirectionSampler(2).Sample(model, 2)).OnGrid(-1, 1, 3).WithCheckpoint(_path);
        sampler.Sample();
        using (no_grad())
        {
            model.buffers().First().add_(0.5);
        }

        Assert.That(Assert.Throws<InvalidOperationException>(() => sampler.Sample())!.Message, Does.Contain("different sampling run"));
        using (no_grad())
        {
            model.buffers().First().sub_(0.5);
        }

        model.train();
        Assert.That(Assert.Throws<InvalidOperationException>(() => sampler.Sample())!.Message, Does.Contain("different sampling run"), "train/eval mode decides the values too");
    }

    [Test]
    public void SampleFailsWhileAnotherRunHoldsTheCheckpoint()
    {
        using var mlp = ReferenceMlp.Load();
        LandscapeSampler sampler = Sampler(mlp);
        using var held = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Assert.That(Assert.Throws<InvalidOperationException>(() => sampler.Sample())!.Message, Does.Contain("exclusive"));
    }

    [Test]
    public void SampleFailsOnMismatchedAxesOrPointsInAnyCallOrder()
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        DirectionSet two = new RandomDirectionSampler(1).Sample(mlp.Model, 2);
        DirectionSet one = new RandomDirectionSampler(1).Sample(mlp.Model, 1);
        var grid3 = Enumerable.Range(0, 3).Select(i => Landscapes.LandscapeAxis.Linspace($"a{i}", -1, 1, 3)).ToArray();
        var bare = new LandscapeSampler(loss);
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<InvalidOperationException>(() => bare.OnGrid(grid3).Along(two).Sample())!.Message, Does.Contain("3 axes but there are 2 directions"));
            Assert.That(Assert.Throws<InvalidOperationException>(() => bare.Along(two).OnGrid(-1, 1, 3).Along(one).Sample())!.Message, Does.Contain("2 axes but there are 1 directions"));
            Assert.That(Assert.Throws<InvalidOperationException>(() => bare.OnGrid(grid3[..1]).Along(two).Sample())!.Message, Does.Contain("1 axes"));
            Assert.That(Assert.Throws<InvalidOperationException>(() => bare.AtPoints(new double[,] { { 0 }, { 1 } }).Along(two).Sample())!.Message, Does.Contain("1 coordinates but there are 2 directions"));
        });
    }

    [Test]
    public void LoadFailsOnCorruptDirectionFilesWithoutHugeAllocations()
    {
        using var mlp = ReferenceMlp.Load();
        DirectionSet set = new RandomDirectionSampler(1).Sample(mlp.Model, 2);
        set.Save(_path);
        byte[] clean = File.ReadAllBytes(_path);
        var random = new Random(8);
        int refused = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            byte[] bytes = (byte[])clean.Clone();
            int at = random.Next(8, Math.Min(bytes.Length, 200));
            bytes[at] = (byte)random.Next(256);
            if (random.Next(3) == 0)
            {
                bytes = bytes[..random.Next(8, bytes.Length)];
            }

            File.WriteAllBytes(_path, bytes);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                DirectionSet.Load(_path);
            }
            catch (InvalidDataException)
            {
                refused++;
            }

            Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan((20L * clean.Length) + (1 << 20)), $"trial {trial}");
        }

        Assert.That(refused, Is.GreaterThan(50));
    }

    private LandscapeSampler Sampler(ReferenceMlp mlp)
    {
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        return new LandscapeSampler(loss).Along(new RandomDirectionSampler(9).Sample(mlp.Model, 2)).OnGrid(-1, 1, 3).WithCheckpoint(_path);
    }
}
