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
            Assert.That(metrics.CountSaddles(SaddleCounting.DistinctVertices), Is.EqualTo(1));
            Assert.That(metrics.CountSaddles(SaddleCounting.DyingPairs), Is.EqualTo(2));
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
        Assert.That(metrics.PersistenceEntropy, Is.Zero, "one infinite pair takes the whole total in the limit: ln 1");
    }

    [Test]
    public void CanGiveEntropyLnMForMInfinitePairs()
    {
        double inf = double.PositiveInfinity;
        TopologyMetrics metrics = TopologyMetrics.Of(Tree(new double[,] { { 0, inf, 1, inf, 2, 3, 4 } }), new TopologyMetricsOptions { EssentialClass = EssentialClassHandling.Exclude });
        Assert.That(metrics.PersistenceEntropy, Is.EqualTo(Math.Log(2)).Within(1e-15));
    }

    [Test]
    public void CanLeaveOutComponentsBornAtPositiveInfinity()
    {
        // A bowl with a +∞ corner region (NaN read as +∞): under the tie rule the region's lowest-index vertex is a
        // minimum, born and dying at +∞. It is no basin, so neither the diagram nor the metrics hold it.
        double inf = double.PositiveInfinity;
        var values = new double[5, 5];
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                values[i, j] = ((i - 2) * (i - 2)) + ((j - 2) * (j - 2));
            }
        }

        foreach ((int i, int j) in new[] { (0, 0), (0, 1), (1, 0), (1, 1), (0, 2), (1, 2), (2, 0), (2, 1) })
        {
            values[i, j] = inf;
        }

        MergeTree tree = Tree(values);
        Assert.That(tree.MinimumCount, Is.EqualTo(2), "the merge tree itself keeps the tie-rule minimum");
        PersistenceDiagram diagram = tree.ToPersistenceDiagram();
        TopologyMetrics metrics = TopologyMetrics.Of(tree);
        Assert.Multiple(() =>
        {
            Assert.That(diagram.Pairs, Is.Empty);
            Assert.That(metrics.MinimumCount, Is.EqualTo(1));
            Assert.That(metrics.SaddleCount, Is.Zero);
            Assert.That(metrics.AveragePersistence, Is.EqualTo(inf), "the essential class paired with the +∞ maximum");
            Assert.That(TopologyMetrics.Of(tree, new TopologyMetricsOptions { EssentialClass = EssentialClassHandling.Exclude }).AveragePersistence, Is.Zero);
        });
    }

    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void CanGiveZeroPersistenceOnConstantInfiniteGrids(double value)
    {
        var values = new double[3, 3];
        foreach (int i in Enumerable.Range(0, 3))
        {
            foreach (int j in Enumerable.Range(0, 3))
            {
                values[i, j] = value;
            }
        }

        foreach (EssentialClassHandling handling in Enum.GetValues<EssentialClassHandling>())
        {
            TopologyMetrics metrics = TopologyMetrics.Of(Tree(values), new TopologyMetricsOptions { EssentialClass = handling });
            Assert.That((metrics.AveragePersistence, metrics.TotalPersistence, metrics.MaximumPersistence, metrics.PersistenceEntropy), Is.EqualTo((0.0, 0.0, 0.0, 0.0)), handling.ToString());
            Assert.That(metrics.MinimumCount, Is.EqualTo(1));
        }
    }

    [Test]
    public void NoMetricIsEverNaNOnGridsWithInfinities([Values(GridConnectivity.Axis, GridConnectivity.Full, GridConnectivity.Freudenthal)] GridConnectivity connectivity)
    {
        // Property test: random grids with ties, +∞ and −∞ (also whole rows of them); no metric may be NaN, every
        // persistence is ≥ 0, and no pair is born at +∞.
        var random = new Random(77 + (int)connectivity);
        double[] palette = [double.NegativeInfinity, -1, 0, 0, 1, 2, double.PositiveInfinity, double.PositiveInfinity];
        for (int t = 0; t < 300; t++)
        {
            int rows = random.Next(1, 7);
            int columns = random.Next(1, 7);
            var values = new double[rows, columns];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    values[i, j] = random.Next(3) == 0 ? random.NextDouble() : palette[random.Next(palette.Length)];
                }
            }

            MergeTree tree = Tree(values, connectivity);
            PersistenceDiagram diagram = tree.ToPersistenceDiagram();
            Assert.That(diagram.Pairs.All(p => !double.IsPositiveInfinity(p.Birth) && p.Persistence >= 0), $"grid {t}");
            foreach (EssentialClassHandling handling in Enum.GetValues<EssentialClassHandling>())
            {
                TopologyMetrics m = TopologyMetrics.Of(tree, new TopologyMetricsOptions { EssentialClass = handling });
                double[] numbers = [m.AveragePersistence, m.TotalPersistence, m.MaximumPersistence, m.PersistenceEntropy, m.AverageDistanceToDiagonal];
                Assert.That(numbers.Any(double.IsNaN), Is.False, $"grid {t}, {handling}: {string.Join(", ", numbers)}");
            }
        }
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
        TopologyMetrics fromDiagram = TopologyMetrics.Of(tree.ToPersistenceDiagram(), tree.Landscape);
        Assert.That(fromDiagram with { VertexCount = tree.VertexCount }, Is.EqualTo(fromTree));
        Assert.That(fromTree.MinimumCount, Is.EqualTo(tree.MinimumCount));
        Assert.That(fromTree.SaddleCount, Is.EqualTo(tree.SaddleCount));
    }

    [Test]
    public void CanCountMinimaOnTheGridBoundaryByHand()
    {
        // Minima at (0, 0) (corner, value 0), (2, 2) (interior, 1), (4, 2) (edge, 2) of a 5 × 5 grid of 9s.
        var values = new double[5, 5];
        foreach (int i in Enumerable.Range(0, 5))
        {
            foreach (int j in Enumerable.Range(0, 5))
            {
                values[i, j] = 9;
            }
        }

        values[0, 0] = 0;
        values[2, 2] = 1;
        values[4, 2] = 2;
        MergeTree tree = Tree(values);
        TopologyMetrics counted = TopologyMetrics.Of(tree);
        TopologyMetrics excluded = TopologyMetrics.Of(tree, new TopologyMetricsOptions { BoundaryMinima = BoundaryMinimumHandling.Exclude });
        Assert.Multiple(() =>
        {
            Assert.That(counted.MinimumCount, Is.EqualTo(3));
            Assert.That(counted.BoundaryMinimumCount, Is.EqualTo(2), "the corner (essential) and the edge minimum");
            Assert.That(excluded.BoundaryMinimumCount, Is.EqualTo(2));
            Assert.That(excluded.MinimumCount, Is.EqualTo(2), "the interior minimum and the essential class");
            Assert.That(excluded.SaddlePairCount, Is.EqualTo(1));
            Assert.That(excluded.AverageFinitePersistence, Is.EqualTo(8), "the interior pair 1 → 9");
            Assert.That(counted.AverageFinitePersistence, Is.EqualTo(7.5), "(8 + 7) / 2");
            Assert.That(counted.AveragePersistence, Is.EqualTo((8 + 7 + 9) / 3.0), "TTK: the essential pair 0 → 9 too");
        });

        var strip = Landscape.FromGrid(new double[] { 3, 0, 3 }, [3, 1]);
        Assert.That(TopologyMetrics.Of(new MergeTreeBuilder().Build(GridGraphBuilder.Axis, strip)).BoundaryMinimumCount, Is.Zero, "an axis of one sample has no boundary");
        Assert.That(TopologyMetrics.Of(tree.ToPersistenceDiagram()).BoundaryMinimumCount, Is.Zero, "a diagram alone knows no grid");
    }

    private static MergeTree Tree(double[,] values, GridConnectivity connectivity = GridConnectivity.Axis)
    {
        Landscape landscape = Landscape.FromGrid(values);
        return new MergeTreeBuilder().Build(new GridGraphBuilder(connectivity), landscape);
    }
}
