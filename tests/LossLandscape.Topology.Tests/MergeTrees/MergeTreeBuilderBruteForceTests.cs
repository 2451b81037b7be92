using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Tests.Support;

namespace LossLandscape.Topology.Tests.MergeTrees;

/// <summary>The merge tree against the flood-fill reference, on many random inputs with and without ties.</summary>
public class MergeTreeBuilderBruteForceTests
{
    private static readonly MergeTreeBuilder Builder = new();

    [Test]
    public void MatchesFloodFillOnRandom2DGrids(
        [Values(GridConnectivity.Axis, GridConnectivity.Full, GridConnectivity.Freudenthal)] GridConnectivity connectivity,
        [Values(0, 2, 4)] int distinctValues)
    {
        var random = new Random(1000 + (17 * (int)connectivity) + distinctValues);
        for (int trial = 0; trial < 60; trial++)
        {
            Landscape landscape = RandomLandscapes.Grid(random, RandomLandscapes.Shape2D(random, 14), distinctValues);
            AssertMatchesReference(new GridGraphBuilder(connectivity).Build(landscape), landscape);
        }
    }

    [Test]
    public void MatchesFloodFillOnRandomGridsOfOtherDimensions(
        [Values(GridConnectivity.Axis, GridConnectivity.Full, GridConnectivity.Freudenthal)] GridConnectivity connectivity,
        [Values(1, 3, 4)] int dimension)
    {
        var random = new Random(2000 + (31 * (int)connectivity) + dimension);
        for (int trial = 0; trial < 25; trial++)
        {
            int[] shape = Enumerable.Range(0, dimension).Select(_ => random.Next(1, dimension == 1 ? 40 : 6)).ToArray();
            Landscape landscape = RandomLandscapes.Grid(random, shape, trial % 2 == 0 ? 3 : 0);
            AssertMatchesReference(new GridGraphBuilder(connectivity).Build(landscape), landscape);
        }
    }

    [Test]
    public void MatchesFloodFillOnRandomExplicitGraphs([Values(0, 3)] int distinctValues)
    {
        var random = new Random(3000 + distinctValues);
        for (int trial = 0; trial < 60; trial++)
        {
            int n = random.Next(1, 120);
            int edgeCount = random.Next(0, 3 * n);
            var edges = new (int, int)[edgeCount];
            for (int e = 0; e < edgeCount; e++)
            {
                int a = random.Next(n);
                int b = random.Next(n - 1);
                edges[e] = (a, b >= a ? b + 1 : b);
            }

            if (n == 1)
            {
                edges = [];
            }

            NeighborGraph graph = NeighborGraph.FromEdges(n, edges);
            double[] values = Enumerable.Range(0, n).Select(_ => distinctValues > 0 ? (double)random.Next(distinctValues) : random.NextDouble()).ToArray();
            AssertMatchesReference(graph, values);
        }
    }

    [Test]
    public void GridPathEqualsExplicitGraphPathOnLargerGrids([Values(GridConnectivity.Axis, GridConnectivity.Full, GridConnectivity.Freudenthal)] GridConnectivity connectivity)
    {
        // The implicit 2-D stencil (interior fast path) against the same graph handed over as explicit CSR.
        var random = new Random(4000 + (int)connectivity);
        Landscape landscape = RandomLandscapes.Grid(random, [97, 83], 5);
        NeighborGraph grid = new GridGraphBuilder(connectivity).Build(landscape);
        NeighborGraph explicitGraph = NeighborGraph.FromCsr(grid.Offsets, grid.Targets);
        MergeTree a = Builder.Build(grid, landscape);
        MergeTree b = Builder.Build(explicitGraph, landscape.Values);
        Assert.That(a.Nodes, Is.EqualTo(b.Nodes));
        Assert.That(a.Arcs, Is.EqualTo(b.Arcs));
        Assert.That(a.Branches, Is.EqualTo(b.Branches));
        Assert.That(a.MinimumCount, Is.GreaterThan(50), "the test should exercise many minima");
    }

    private static void AssertMatchesReference(NeighborGraph graph, Landscape landscape)
    {
        MergeTree tree = Builder.Build(graph, landscape);
        Check(graph, landscape.Values.ToArray(), tree, landscape.ToString());
    }

    private static void AssertMatchesReference(NeighborGraph graph, double[] values)
        => Check(graph, values, Builder.Build(graph, values), graph.ToString());

    private static void Check(NeighborGraph graph, double[] values, MergeTree tree, string what)
    {
        var reference = BruteForceMergeTree.Compute(graph, values);
        var nodes = tree.Nodes;
        Assert.Multiple(() =>
        {
            Assert.That(nodes.Where(x => x.Kind == MergeTreeNodeKind.Minimum).Select(x => x.Vertex).Order(),
                Is.EqualTo(reference.Minima.Order()), $"minima of {what}");
            Assert.That(nodes.Where(x => x.Kind == MergeTreeNodeKind.Saddle).Select(x => x.Vertex).Order(),
                Is.EqualTo(reference.Saddles.Keys), $"saddles of {what}");
            Assert.That(tree.Branches.Where(b => !b.IsEssential).Select(b => (nodes[b.Minimum].Vertex, nodes[b.Top].Vertex)).Order(),
                Is.EqualTo(reference.Pairs.Order()), $"pairs of {what}");
            Assert.That(tree.Branches.Where(b => b.IsEssential).Select(b => (nodes[b.Minimum].Vertex, nodes[b.Top].Vertex)).Order(),
                Is.EqualTo(reference.Essential.Order()), $"essential classes of {what}");
            var arcs = new SortedDictionary<int, (int, int)>(tree.Arcs.ToDictionary(a => nodes[a.Lower].Vertex, a => (nodes[a.Upper].Vertex, a.RegionVertexCount)));
            Assert.That(arcs, Is.EqualTo(reference.Arcs), $"arcs of {what}");
            Assert.That(tree.Arcs.Sum(a => a.RegionVertexCount) + nodes.Length, Is.EqualTo(values.Length), $"vertex accounting of {what}");
        });
    }
}
