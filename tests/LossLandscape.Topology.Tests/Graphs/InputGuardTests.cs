using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Tests.Graphs;

/// <summary>Inputs that used to crash, hang or allocate without reason: each now works or fails with a clear message.</summary>
public class InputGuardTests
{
    [TestCase(14)]
    [TestCase(16)]
    public void CanBuildHighDimensionalGridsOfOneValue(int dimension)
    {
        // Axes of one sample hold no neighbour: the stencil is built over the other axes only (it used to be a
        // stackalloc of 3^k − 1 entries: a stack overflow at 14-D, 5.7 GB at 16-D).
        var landscape = Landscape.FromGrid([3.5], Enumerable.Repeat(1, dimension).ToArray());
        NeighborGraph graph = GridGraphBuilder.Full.Build(landscape);
        Assert.That(graph.MaxDegree, Is.Zero);
        Assert.That(graph.GetDegree(0), Is.Zero);
        Assert.That(TopologyMetrics.Of(new MergeTreeBuilder().Build(graph, landscape)).MinimumCount, Is.EqualTo(1));
    }

    [Test]
    public void BuildFailsOnFullConnectivityBeyondTheStencilLimitNamingAlternatives()
    {
        var landscape = Landscape.FromGrid(new double[1 << 12], Enumerable.Repeat(2, 12).ToArray());
        var ex = Assert.Throws<ArgumentException>(() => GridGraphBuilder.Full.Build(landscape));
        Assert.That(ex!.Message, Does.Contain("Freudenthal").And.Contain("kNN").And.Contain("531440"));
        Assert.That(GridGraphBuilder.Freudenthal.Build(landscape).MaxDegree, Is.EqualTo(8190), "Freudenthal still works at 12-D");
    }

    [Test]
    public void CanGiveAGridWithAnAxisOfOneSampleThePlanesNeighbours()
    {
        // An axis of one sample holds no neighbour: a 4 × 1 × 5 grid has exactly the 4 × 5 grid's neighbours, in order.
        foreach (GridConnectivity connectivity in Enum.GetValues<GridConnectivity>())
        {
            var full = new GridTopology([4, 3, 5], connectivity);
            var thin = new GridTopology([4, 1, 5], connectivity);
            var plane = new GridTopology([4, 5], connectivity);
            for (int v = 0; v < 20; v++)
            {
                int[] a = new int[full.StencilSize];
                int[] b = new int[plane.StencilSize];
                int na = thin.GetNeighbors(v, a);
                int nb = plane.GetNeighbors(v, b);

                // [i, 0, j] of the 4 × 1 × 5 grid has the flat index of [i, j] in the 4 × 5 grid, and the slab's Kuhn
                // triangulation orients its axes as the plane's does (only the last axis is positive).
                Assert.That(a[..na], Is.EqualTo(b[..nb]), $"{connectivity}, vertex {v}");
            }
        }
    }

    [Test]
    public void CanFindExactNeighboursOfManyIdenticalPointsQuickly()
    {
        // 10⁵ copies of one point: ranked by (distance, index), so every point's neighbours are the k smallest other
        // indices. The k-d tree prunes by index too (it used to visit every node for every query).
        const int n = 100_000;
        double[] coordinates = new double[2 * n];
        Array.Fill(coordinates, 0.25);
        int[] nearest = new KnnGraphBuilder(4).NearestNeighbors(coordinates, 2);
        Assert.That(nearest[..4], Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(nearest.AsSpan(4 * (n - 1), 4).ToArray(), Is.EqualTo(new[] { 0, 1, 2, 3 }));
    }

    [Test]
    public void KnnFailsOnNaNCoordinatesOfTheSpanOverloads()
    {
        double[] coordinates = [0, 0, 1, 1, double.NaN, 2, 3, 3];
        var ex = Assert.Throws<ArgumentException>(() => new KnnGraphBuilder(2).Build(coordinates, 2));
        Assert.That(ex!.Message, Does.Contain("point 2").And.Contain("NaN"));
        Assert.Throws<ArgumentException>(() => new NnDescentGraphBuilder(2).Build(coordinates, 2));
    }

    [TestCase(1e-200)]
    [TestCase(1e-80)]
    [TestCase(1e80)]
    [TestCase(1e200)]
    public void CanTriangulateAtAnyScaleAsAtUnitScale(double scale)
    {
        var random = new Random(9);
        int n = 300;
        double[] x = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        double[] y = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        NeighborGraph unit = DelaunayGraphBuilder.Build(x, y);
        double[,] scaledPoints = Planar(x.Select(v => v * scale).ToArray(), y.Select(v => v * scale).ToArray());
        NeighborGraph scaled = new DelaunayGraphBuilder().Build(scaledPoints); // the public point-set overload
        Assert.That(scaled.EdgeCount, Is.EqualTo(unit.EdgeCount));
        Assert.That(scaled.Targets.ToArray(), Is.EqualTo(unit.Targets.ToArray()), "a Delaunay graph does not change under scaling");
        NeighborGraph gabriel = GabrielGraphBuilder.Build(x, y);
        Assert.That(new GabrielGraphBuilder().Build(scaledPoints).Targets.ToArray(), Is.EqualTo(gabriel.Targets.ToArray()));
    }

    [Test]
    public void FromFunctionFailsOnANullAxisAndKeepsNoReferenceToTheCallersArray()
    {
        Assert.Throws<ArgumentNullException>(() => Landscape.FromFunction(p => p[0], LandscapeAxis.Linspace("a", 0, 1, 3), null!));
        LandscapeAxis[] axes = [LandscapeAxis.Linspace("a", 0, 1, 3)];
        Landscape landscape = Landscape.FromFunction(p => p[0], axes);
        axes[0] = LandscapeAxis.Linspace("b", 5, 6, 3);
        Assert.That(landscape.Axes[0].Name, Is.EqualTo("a"));
    }

    [Test]
    public void FromEdgesFailsOnAVertexCountNoArrayCanHold()
        => Assert.Throws<ArgumentOutOfRangeException>(() => NeighborGraph.FromEdges(int.MaxValue, []));

    [Test]
    public void OptionsFailOnUndefinedEnumValues()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MergeTreeOptions { NaNHandling = (NaNHandling)7 });
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TopologyMetricsOptions { EssentialClass = (EssentialClassHandling)7 });
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new KnnGraphBuilder(3, (KnnSymmetrization)9));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new NnDescentGraphBuilder(3, new NnDescentOptions { Symmetrization = (KnnSymmetrization)9 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new GridGraphBuilder((GridConnectivity)9));
    }

    [Test]
    public void CanReadBackAnNBy1ImageAsTwoDimensional()
    {
        string path = Path.Combine(Path.GetTempPath(), $"llt-nx1-{Environment.ProcessId}.vti");
        try
        {
            var landscape = Landscape.FromGrid(new double[,] { { 1 }, { 2 }, { 3 } }, new LandscapeAxis("rows", [0, 1, 2]), new LandscapeAxis("one", [0]));
            VtkFiles.WriteImageData(path, landscape);
            Landscape back = VtkFiles.ReadImageData(path);
            Assert.That(back.Shape.ToArray(), Is.EqualTo(new[] { 3, 1 }));
            Assert.That(back.Axes.Select(a => a.Name), Is.EqualTo(new[] { "rows", "one" }));
            Assert.That(back.Values.ToArray(), Is.EqualTo(new[] { 1.0, 2, 3 }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void PlanarGraphsOfPointSetsRefuseOtherThanTwoColumns()
    {
        var points = new double[10, 3];
        Assert.That(Assert.Throws<ArgumentException>(() => new DelaunayGraphBuilder().Build(points))!.Message, Does.Contain("3 columns; a planar graph needs 2"));
        Assert.That(Assert.Throws<ArgumentException>(() => new GabrielGraphBuilder().Build(points))!.ParamName, Is.EqualTo("points"));
        Assert.That(Assert.Throws<ArgumentException>(() => new KnnGraphBuilder(2).Build(new double[10, 0]))!.Message, Does.Contain("0 columns"));
    }

    private static double[,] Planar(double[] x, double[] y)
    {
        var points = new double[x.Length, 2];
        for (int i = 0; i < x.Length; i++)
        {
            points[i, 0] = x[i];
            points[i, 1] = y[i];
        }

        return points;
    }
}
