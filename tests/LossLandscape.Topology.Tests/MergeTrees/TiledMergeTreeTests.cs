using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Tests.Support;

namespace LossLandscape.Topology.Tests.MergeTrees;

/// <summary>
/// The tiled sweep of large 2-D grids against the sequential sweep: the same tree, node for node (vertex, kind, value),
/// arc for arc (upper node and regular count) and branch for branch, for every tile size and thread count.
/// </summary>
public class TiledMergeTreeTests
{
    private static MergeTreeBuilder Sequential(NaNHandling nan = NaNHandling.Throw)
        => new(new MergeTreeOptions { NaNHandling = nan, TiledFrom = int.MaxValue });

    private static MergeTreeBuilder Tiled(int tileSide, int threads, NaNHandling nan = NaNHandling.Throw)
        => new(new MergeTreeOptions { NaNHandling = nan, TiledFrom = 2, TileSide = tileSide, Threads = threads });

    [Test]
    public void EqualsTheSequentialSweepOnRandomGridsWithTiesAndInfinities(
        [Values(GridConnectivity.Axis, GridConnectivity.Full, GridConnectivity.Freudenthal)] GridConnectivity connectivity,
        [Values(0, 2, 5)] int distinctValues)
    {
        var random = new Random(4000 + (13 * (int)connectivity) + distinctValues);
        for (int trial = 0; trial < 80; trial++)
        {
            int[] shape = [random.Next(1, 40), random.Next(1, 40)];
            if (shape[0] * shape[1] < 2)
            {
                shape[1] = 2;
            }

            Landscape landscape = RandomLandscapes.Grid(random, shape, distinctValues);
            double[] values = landscape.Values.ToArray();
            for (int i = 0; i < values.Length; i++)
            {
                double u = random.NextDouble();
                values[i] = u < 0.05 ? double.PositiveInfinity : u < 0.08 ? double.NegativeInfinity : u < 0.10 ? double.NaN : values[i];
            }

            landscape = Landscape.FromGrid(values, shape);
            NeighborGraph graph = new GridGraphBuilder(connectivity).Build(landscape);
            MergeTree expected = Sequential(NaNHandling.TreatAsPositiveInfinity).Build(graph, landscape);
            int tileSide = random.Next(1, 12);
            AssertSameTree(expected, Tiled(tileSide, 1 + (trial % 3), NaNHandling.TreatAsPositiveInfinity).Build(graph, landscape), $"trial {trial}, shape {shape[0]}×{shape[1]}, tiles of {tileSide}");
        }
    }

    [Test]
    public void KeepsTheSignOfAZeroAtEitherEndOfTheFiniteRange([Values(-1.0, 1.0)] double sign)
    {
        // −0 and +0 share a sort key, so the range cannot come from the keys alone when an end is a zero.
        var random = new Random(31);
        double[] values = Enumerable.Range(0, 40 * 40).Select(_ => sign * random.NextDouble()).ToArray();
        values[17] = sign * 0.0;
        values[18] = -sign * 0.0;
        var landscape = Landscape.FromGrid(values, [40, 40]);
        NeighborGraph graph = GridGraphBuilder.Full.Build(landscape);
        MergeTree expected = Sequential().Build(graph, landscape);
        MergeTree actual = Tiled(8, 2).Build(graph, landscape);
        Assert.That(BitConverter.DoubleToInt64Bits(actual.FiniteMinimum), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected.FiniteMinimum)), "minimum");
        Assert.That(BitConverter.DoubleToInt64Bits(actual.FiniteMaximum), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected.FiniteMaximum)), "maximum");
    }

    [Test]
    public void CanTakeTheThreadCountFromAMeasurementUnderWay()
    {
        var random = new Random(78);
        Landscape landscape = RandomLandscapes.Grid(random, [200, 311], 0);
        NeighborGraph graph = GridGraphBuilder.Full.Build(landscape);
        var options = new MergeTreeOptions { TiledFrom = 2, TileSide = 32, FreeCores = ComputeThreads.StartMeasuring() };
        AssertSameTree(Sequential().Build(graph, landscape), new MergeTreeBuilder(options).Build(graph, landscape), "measured while the first tiles are swept");
    }

    [Test]
    public void EqualsTheSequentialSweepOnALargeRandomGridForEveryThreadCount([Values(1, 2, 3)] int threads)
    {
        var random = new Random(77);
        Landscape landscape = RandomLandscapes.Grid(random, [300, 517], 0);
        NeighborGraph graph = GridGraphBuilder.Full.Build(landscape);
        MergeTree expected = Sequential().Build(graph, landscape);
        AssertSameTree(expected, Tiled(64, threads).Build(graph, landscape), $"{threads} threads");
    }

    [Test]
    public void EqualsTheSequentialSweepOnSmoothGridsWithPlateaus()
    {
        // A bowl with ripples, rounded to few levels: long plateaus across tile borders, few minima.
        var values = new double[120 * 90];
        for (int i = 0; i < 120; i++)
        {
            for (int j = 0; j < 90; j++)
            {
                double x = (i - 60) / 30.0, y = (j - 45) / 30.0;
                values[(i * 90) + j] = Math.Round(((x * x) + (y * y) + (0.3 * Math.Sin(5 * x) * Math.Cos(4 * y))) * 8) / 8;
            }
        }

        Landscape landscape = Landscape.FromGrid(values, [120, 90]);
        foreach (GridConnectivity connectivity in new[] { GridConnectivity.Axis, GridConnectivity.Full })
        {
            NeighborGraph graph = new GridGraphBuilder(connectivity).Build(landscape);
            AssertSameTree(Sequential().Build(graph, landscape), Tiled(16, 2).Build(graph, landscape), connectivity.ToString());
        }
    }

    [Test]
    public void LargeGridsTakeTheTiledPathByDefault()
    {
        // A 1024² grid is at the threshold: the default builder tiles it, and its diagram is the sequential one.
        var random = new Random(5);
        Landscape landscape = RandomLandscapes.Grid(random, [1024, 1024], 0);
        NeighborGraph graph = GridGraphBuilder.Full.Build(landscape);
        Assert.That(landscape.Count, Is.GreaterThanOrEqualTo(MergeTreeOptions.TiledMinimumVertices));
        AssertSameTree(Sequential().Build(graph, landscape), new MergeTreeBuilder(new MergeTreeOptions { Threads = 2 }).Build(graph, landscape), "default tiles");
    }

    [Test]
    public void NaNIsStillAnErrorOnTheTiledPath()
    {
        var values = new double[64];
        values[37] = double.NaN;
        Landscape landscape = Landscape.FromGrid(values, [8, 8]);
        var e = Assert.Throws<ArgumentException>(() => Tiled(3, 2).Build(GridGraphBuilder.Full.Build(landscape), landscape));
        Assert.That(e!.Message, Does.Contain("NaN").And.Contain("(4, 5)"));
    }

    [Test]
    public void ThreadsBelowOneAreRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MergeTreeOptions { Threads = 0 });
        Assert.That(e!.ParamName, Is.EqualTo("Threads"));
    }

    private static void AssertSameTree(MergeTree expected, MergeTree actual, string what)
    {
        Assert.Multiple(() =>
        {
            Assert.That(actual.VertexCount, Is.EqualTo(expected.VertexCount), what);
            Assert.That(actual.Nodes, Is.EqualTo(expected.Nodes), $"{what}: nodes");
            Assert.That(actual.UpNodes.ToArray(), Is.EqualTo(expected.UpNodes.ToArray()), $"{what}: arcs");
            Assert.That(actual.UpCounts.ToArray(), Is.EqualTo(expected.UpCounts.ToArray()), $"{what}: regular vertices per arc");
            Assert.That(actual.BranchMinima.ToArray(), Is.EqualTo(expected.BranchMinima.ToArray()), $"{what}: branch minima");
            Assert.That(actual.BranchTops.ToArray(), Is.EqualTo(expected.BranchTops.ToArray()), $"{what}: branch tops");
            Assert.That(actual.BranchParents.ToArray(), Is.EqualTo(expected.BranchParents.ToArray()), $"{what}: branch parents");
            Assert.That(actual.Roots, Is.EqualTo(expected.Roots), $"{what}: roots");
            Assert.That(actual.FiniteMinimum, Is.EqualTo(expected.FiniteMinimum), what);
            Assert.That(actual.FiniteMaximum, Is.EqualTo(expected.FiniteMaximum), what);
            Assert.That(actual.ToPersistenceDiagram().Pairs, Is.EqualTo(expected.ToPersistenceDiagram().Pairs), $"{what}: pairs");
        });
    }
}
