using System.Diagnostics;
using LossLandscape.Topology.Graphs;

namespace LossLandscape.Topology.Tests.Graphs;

public class NnDescentGraphBuilderTests
{
    [Test]
    public void CanReachNinetyNinePercentRecallOnHundredThousandPoints()
    {
        var random = new Random(3);
        double[] points = Enumerable.Range(0, 200_000).Select(_ => random.NextDouble()).ToArray();
        int[] exact = new KnnGraphBuilder(8).NearestNeighbors(points, 2);
        var descent = new NnDescentGraphBuilder(8, new NnDescentOptions { Seed = 1 });
        int[] approximate = descent.NearestNeighbors(points, 2);
        long found = 0;
        for (int v = 0; v < 100_000; v++)
        {
            var truth = new HashSet<int>(exact.AsSpan(v * 8, 8).ToArray());
            for (int e = 0; e < 8; e++)
            {
                found += truth.Contains(approximate[(v * 8) + e]) ? 1 : 0;
            }
        }

        double recall = found / 800_000.0;
        TestContext.Out.WriteLine($"NN-descent recall {recall:P3}");
        Assert.That(recall, Is.GreaterThanOrEqualTo(0.99));
    }

    [Test]
    public void CanReproduceTheSameGraphFromTheSameSeed()
    {
        var random = new Random(4);
        double[] points = Enumerable.Range(0, 5 * 3000).Select(_ => random.NextDouble()).ToArray();
        int[] a = new NnDescentGraphBuilder(6, new NnDescentOptions { Seed = 9 }).NearestNeighbors(points, 5);
        int[] b = new NnDescentGraphBuilder(6, new NnDescentOptions { Seed = 9 }).NearestNeighbors(points, 5);
        Assert.That(b, Is.EqualTo(a));
    }

    [Test]
    public void CanFindNearlyAllNeighborsInTenDimensions()
    {
        var random = new Random(5);
        double[] points = Enumerable.Range(0, 10 * 500).Select(_ => random.NextDouble()).ToArray();
        int[] exact = new KnnGraphBuilder(10).NearestNeighbors(points, 10);
        int[] approximate = new NnDescentGraphBuilder(10, new NnDescentOptions { Seed = 2, SampleRate = 1 }).NearestNeighbors(points, 10);
        int found = 0;
        for (int v = 0; v < 500; v++)
        {
            var truth = new HashSet<int>(exact.AsSpan(v * 10, 10).ToArray());
            found += approximate.AsSpan(v * 10, 10).ToArray().Count(truth.Contains);
        }

        double recall = found / 5000.0;
        TestContext.Out.WriteLine($"10-D recall {recall:P2}");
        Assert.That(recall, Is.GreaterThanOrEqualTo(0.95), "10-D is harder than 2-D; still nearly exact");
    }

    [Test]
    public void NearestNeighborsFailsWithTooFewPoints()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new NnDescentGraphBuilder(8).NearestNeighbors(new double[16], 2))!.Message, Does.Contain("k = 8 needs more than 8 points"));
    }
}
