using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Tests.Graphs;

public class KnnGraphBuilderTests
{
    [Test]
    public void CanMatchBruteForceNeighborsInSeveralDimensions([Values(1, 2, 3, 5)] int dimension, [Values(false, true)] bool ties)
    {
        var random = new Random(dimension + (ties ? 10 : 0));
        int n = 400;
        double[] points = Enumerable.Range(0, n * dimension).Select(_ => ties ? random.Next(6) : random.NextDouble()).ToArray();
        var builder = new KnnGraphBuilder(7);
        int[] nearest = builder.NearestNeighbors(points, dimension);
        for (int v = 0; v < n; v++)
        {
            int[] expected = Enumerable.Range(0, n).Where(u => u != v)
                .OrderBy(u => Distance(points, dimension, u, v)).ThenBy(u => u).Take(7).ToArray();
            Assert.That(nearest.AsSpan(v * 7, 7).ToArray(), Is.EqualTo(expected), $"point {v}");
        }
    }

    [Test]
    public void CanReproduceTheEightNeighborStencilOnAGrid()
    {
        var landscape = Landscape.FromGrid(new double[9, 11]);
        var coordinates = new double[landscape.Count * 2];
        for (int v = 0; v < landscape.Count; v++)
        {
            landscape.GetCoordinates(v, coordinates.AsSpan(v * 2, 2));
        }

        int[] nearest = new KnnGraphBuilder(8).NearestNeighbors(coordinates, 2);
        NeighborGraph knn = new KnnGraphBuilder(8).Build(landscape);
        NeighborGraph grid = GridGraphBuilder.Full.Build(landscape);
        for (int i = 1; i < 8; i++)
        {
            for (int j = 1; j < 10; j++)
            {
                int v = (i * 11) + j;
                Assert.That(nearest.AsSpan(v * 8, 8).ToArray().Order(), Is.EqualTo(Row(grid, v)), $"the 8 nearest of interior vertex ({i}, {j})");
                Assert.That(Row(knn, v), Is.SupersetOf(Row(grid, v)), "union symmetrisation keeps them (and may add boundary points' choices)");
            }
        }
    }

    [Test]
    public void CanGiveTheGridMergeTreeForFunctionsWhoseCriticalPointsAreInside()
    {
        // Minima and saddles well inside the grid: extra kNN edges on the boundary change nothing.
        var landscape = Landscape.FromFunction(p => Math.Sin(3 * p[0]) * Math.Cos(3 * p[1]) + (0.5 * ((p[0] * p[0]) + (p[1] * p[1]))),
            LandscapeAxis.Linspace("a", -1.3, 1.3, 40), LandscapeAxis.Linspace("b", -1.3, 1.3, 40));
        MergeTree viaGrid = new MergeTreeBuilder().Build(GridGraphBuilder.Full, landscape);
        MergeTree viaKnn = new MergeTreeBuilder().Build(new KnnGraphBuilder(8), landscape);
        Assert.That(viaKnn.ToPersistenceDiagram().Pairs, Is.EqualTo(viaGrid.ToPersistenceDiagram().Pairs));
        Assert.That(viaGrid.MinimumCount, Is.GreaterThan(1));
    }

    [Test]
    public void CanSymmetrizeByUnionOrMutual()
    {
        double[] points = [0, 1, 3, 10];
        NeighborGraph union = new KnnGraphBuilder(1, KnnSymmetrization.Union).Build(points, 1);
        NeighborGraph mutual = new KnnGraphBuilder(1, KnnSymmetrization.Mutual).Build(points, 1);
        Assert.That(union.EdgeCount, Is.EqualTo(3), "0–1, 2–1, 3–2");
        Assert.That(mutual.EdgeCount, Is.EqualTo(1), "only 0–1 choose each other");
        Assert.That(Assert.Throws<ArgumentException>(() => new KnnGraphBuilder(4).Build(points, 1))!.Message, Does.Contain("k = 4 needs more than 4 points"));
    }

    [Test]
    public void CanSymmetrizeLikeASetOfPairsOnRandomPoints([Values(KnnSymmetrization.Union, KnnSymmetrization.Mutual)] KnnSymmetrization symmetrization)
    {
        // Independent construction: the set of unordered pairs, from the directed lists, row by row.
        var random = new Random(11);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = random.Next(10, 3000);
            int k = random.Next(1, 9);
            double[] points = Enumerable.Range(0, 2 * n).Select(_ => Math.Round(random.NextDouble() * 40) / 40).ToArray();
            var builder = new KnnGraphBuilder(k, symmetrization);
            int[] nearest = builder.NearestNeighbors(points, 2);
            var expected = new SortedSet<int>[n];
            for (int v = 0; v < n; v++)
            {
                expected[v] = [];
            }

            for (int v = 0; v < n; v++)
            {
                foreach (int u in nearest.AsSpan(v * k, k))
                {
                    if (symmetrization == KnnSymmetrization.Union || nearest.AsSpan(u * k, k).Contains(v))
                    {
                        expected[v].Add(u);
                        expected[u].Add(v);
                    }
                }
            }

            NeighborGraph graph = builder.Build(points, 2);
            for (int v = 0; v < n; v++)
            {
                Assert.That(Row(graph, v), Is.EqualTo(expected[v].ToArray()), $"trial {trial}, n = {n}, k = {k}, row {v}");
            }

            Assert.That(graph.MaxDegree, Is.EqualTo(expected.Max(r => r.Count)));
        }
    }

    private static int[] Row(NeighborGraph graph, int v) => graph.Targets[graph.Offsets[v]..graph.Offsets[v + 1]].ToArray();

    private static double Distance(double[] points, int dimension, int a, int b)
    {
        double d = 0;
        for (int c = 0; c < dimension; c++)
        {
            double delta = points[(a * dimension) + c] - points[(b * dimension) + c];
            d += delta * delta;
        }

        return d;
    }
}
