using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Tests.Metrics;

public class TopologyMetricsTests
{
    // Three basins (births 0, 1, 2) meeting at one 4-connected multi-saddle of value 5; maximum 9.
    private static readonly double[,] MultiSaddle =
    {
        { 9, 0, 9 },
        { 1, 5, 2 },
        { 9, 9, 9 },
    };

    [Test]
    public void CanCountSaddlesByBothConventions()
    {
        TopologyMetrics metrics = TopologyMetrics.Of(Tree(MultiSaddle));
        Assert.Multiple(() =>
        {
            Assert.That(metrics.MinimumCount, Is.EqualTo(3));
            Assert.That(metrics.Saddles(SaddleCounting.DistinctVertices), Is.EqualTo(1));
            Assert.That(metrics.Saddles(SaddleCounting.DyingPairs), Is.EqualTo(2));
            Assert.That(metrics.VertexCount, Is.EqualTo(9));
            Assert.That(metrics.EssentialClassCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void CanAveragePersistenceWithEssentialClassPairedWithMaximum()
    {
        // Pairs (1, 5) and (2, 5): persistences 4 and 3; essential (0, 9): 9.
        TopologyMetrics metrics = TopologyMetrics.Of(Tree(MultiSaddle));
        double[] p = [4, 3, 9];
        double entropy = -p.Sum(x => x / 16 * Math.Log(x / 16));
        Assert.Multiple(() =>
        {
            Assert.That(metrics.EssentialClass, Is.EqualTo(EssentialClassHandling.PairWithMaximum));
            Assert.That(metrics.AveragePersistence, Is.EqualTo(16.0 / 3).Within(1e-15));
            Assert.That(metrics.TotalPersistence, Is.EqualTo(16));
            Assert.That(metrics.MaximumPersistence, Is.EqualTo(9));
            Assert.That(metrics.PersistenceEntropy, Is.EqualTo(entropy).Within(1e-15));
            Assert.That(metrics.AverageDistanceToDiagonal, Is.EqualTo(16.0 / 3 / Math.Sqrt(2)).Within(1e-15));
        });
    }

    [Test]
    public void CanAveragePersistenceOverFinitePairsOnly()
    {
        var options = new TopologyMetricsOptions { EssentialClass = EssentialClassHandling.Exclude };
        TopologyMetrics metrics = TopologyMetrics.Of(Tree(MultiSaddle), options);
        Assert.Multiple(() =>
        {
            Assert.That(metrics.AveragePersistence, Is.EqualTo(3.5));
            Assert.That(metrics.MaximumPersistence, Is.EqualTo(4));
            Assert.That(metrics.PersistenceEntropy, Is.EqualTo(-((4.0 / 7 * Math.Log(4.0 / 7)) + (3.0 / 7 * Math.Log(3.0 / 7)))).Within(1e-15));
        });
    }

    [Test]
    public void CanReportZeroForABowlWithoutFinitePairs()
    {
        var options = new TopologyMetricsOptions { EssentialClass = EssentialClassHandling.Exclude };
        TopologyMetrics metrics = TopologyMetrics.Of(Tree(new double[,] { { 2, 1, 0, 1, 2 } }), options);
        Assert.That((metrics.AveragePersistence, metrics.TotalPersistence, metrics.PersistenceEntropy, metrics.SaddleCount), Is.EqualTo((0.0, 0.0, 0.0, 0)));
    }

    [Test]
    public void CanReportInfinitePersistenceHonestly()
    {
        double inf = double.PositiveInfinity;
        TopologyMetrics metrics = TopologyMetrics.Of(Tree(new double[,] { { 0, inf, 1 } }), new TopologyMetricsOptions { EssentialClass = EssentialClassHandling.Exclude });
        Assert.That(metrics.AveragePersistence, Is.EqualTo(inf));
        Assert.That(metrics.PersistenceEntropy, Is.NaN);
    }

    [Test]
    public void CanComputeSameMetricsFromDiagramAlone()
    {
        var random = new Random(5);
        var values = new double[40, 40];
        for (int i = 0; i < 40; i++)
        {
            for (int j = 0; j < 40; j++)
            {
                values[i, j] = random.Next(6);
            }
        }

        MergeTree tree = Tree(values, GridConnectivity.Full);
        TopologyMetrics fromTree = TopologyMetrics.Of(tree);
        TopologyMetrics fromDiagram = TopologyMetrics.Of(tree.ToPersistenceDiagram());
        Assert.That(fromDiagram with { VertexCount = tree.VertexCount }, Is.EqualTo(fromTree));
        Assert.That(fromTree.MinimumCount, Is.EqualTo(tree.MinimumCount));
        Assert.That(fromTree.SaddleCount, Is.EqualTo(tree.SaddleCount));
    }

    private static MergeTree Tree(double[,] values, GridConnectivity connectivity = GridConnectivity.Axis)
    {
        Landscape landscape = Landscape.FromGrid(values);
        return new MergeTreeBuilder().Build(landscape, new GridGraphBuilder(connectivity));
    }
}
