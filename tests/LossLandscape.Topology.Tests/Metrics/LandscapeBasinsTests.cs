using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;

namespace LossLandscape.Topology.Tests.Metrics;

/// <summary>
/// Landscaper's metrics (basins, SMAD, basin aggregates, the topological profile) on a hand case whose every number
/// is worked out below, and against direct computations (steepest-descent walks, flood fills of sublevel sets) on
/// random grids with ties.
/// </summary>
public class LandscapeBasinsTests
{
    // A 1 × 5 grid 3, 1, 2, 0, 4: minima 1 (at vertex 1) and 0 (vertex 3) meet at the saddle 2 (vertex 2); the top is 4.
    private static (MergeTree Tree, NeighborGraph Graph) Hand()
    {
        Landscape landscape = Landscape.FromGrid([3.0, 1, 2, 0, 4], [1, 5]);
        NeighborGraph graph = NeighborGraph.ForGrid(new GridTopology([1, 5], GridConnectivity.Axis));
        return (new MergeTreeBuilder().Build(graph, landscape), graph);
    }

    [Test]
    public void CanGiveTheHandCasesBasinsAndSmad()
    {
        (MergeTree tree, NeighborGraph graph) = Hand();
        LandscapeBasins basins = LandscapeBasins.Of(tree, graph);

        // Vertex 2 drops 2 towards vertex 3 and 1 towards vertex 1: it flows to 3. Vertex 0 flows to 1, vertex 4 to 3.
        Assert.That(basins.Basins.Select(b => (b.Vertex, b.VertexCount, b.Fraction, b.Depth, b.Persistence, b.MeanValue)), Is.EqualTo(new[]
        {
            (3, 3, 0.6, 2.0, 4.0, 2.0),      // {3, 2, 4}: depth 2 − 0, essential 4 − 0, mean (0 + 2 + 4) / 3
            (1, 2, 0.4, 1.0, 1.0, 2.0),      // {1, 0}: depth 2 − 1, dies at 2, mean (1 + 3) / 2
        }));
        Assert.That(Enumerable.Range(0, 5).Select(basins.BasinOf), Is.EqualTo(new[] { 1, 1, 0, 0, 0 }));
        Assert.That(basins.Smad(), Is.EqualTo(1.5));                                 // (1 + 2) / 2
        Assert.That(basins.Smad(normalize: true), Is.EqualTo(0.375));                // (1/4 + 2/4) / 2
        Assert.That(basins.Smad(weighted: true), Is.EqualTo(0.8).Within(1e-15));     // (1 · 0.4 + 2 · 0.6) / 2
        Assert.That(basins.Aggregate([3.0, 1, 2, 0, 4]), Is.EqualTo(2.0));            // mean of the basin means 2 and 2
        Assert.That(basins.Aggregate([3.0, 1, 2, 0, 4], perBasin: v => v.Max(), final: v => v.Sum()), Is.EqualTo(7.0));
    }

    [Test]
    public void CanGiveTheHandCasesProfile()
    {
        (MergeTree tree, NeighborGraph graph) = Hand();
        TopologicalProfile profile = TopologicalProfile.Of(tree, graph);

        // Nodes: 0 = minimum 0, 1 = minimum 1, 2 = saddle 2, 3 = root 4. Points: [2], [2], [0, 1, 4], [0, 1, 2, 3];
        // the root spans [0, 4] (centre 2), the saddle [0.5, 3.5] (centre 2), the minima [1, 2] and [2, 3].
        Assert.That(profile.Areas.Select(a => (a.Node, a.Center, a.Width)), Is.EqualTo(new[] { (0, 1.5, 1), (1, 2.5, 1), (2, 2.0, 3), (3, 2.0, 4) }));
        Assert.That(profile.Areas[0].Outline, Is.EqualTo(new[] { (0.5, 2.0), (1.5, 2.0) }));
        Assert.That(profile.Areas[2].Outline, Is.EqualTo(new[] { (-1.0, 4.0), (0.0, 1.0), (1.0, 0.0), (2.0, 0.0), (3.0, 1.0), (4.0, 4.0) }));
        Assert.That(profile.Areas[3].Outline, Is.EqualTo(new[] { (-2.0, 3.0), (-1.0, 2.0), (0.0, 1.0), (1.0, 0.0), (2.0, 0.0), (3.0, 1.0), (4.0, 2.0), (5.0, 3.0) }));
    }

    [Test]
    public void CanMatchDescentWalksAndFloodFillsOnRandomGrids()
    {
        for (int seed = 0; seed < 150; seed++)
        {
            var random = new Random(seed);
            int rows = random.Next(1, 9), columns = random.Next(1, 9);
            double[] values = Enumerable.Range(0, rows * columns).Select(_ => random.Next(8) == 0 ? double.PositiveInfinity : random.Next(5)).ToArray();
            var axes = new[] { new LandscapeAxis("a", Enumerable.Range(0, rows).Select(i => i * 0.5).ToArray()), new LandscapeAxis("b", Enumerable.Range(0, columns).Select(j => j * 2.0).ToArray()) };
            Landscape landscape = Landscape.FromGrid(values, [rows, columns], axes);
            NeighborGraph graph = NeighborGraph.ForGrid(new GridTopology([rows, columns], GridConnectivity.Full));
            MergeTree tree = new MergeTreeBuilder().Build(graph, landscape);
            LandscapeBasins basins = LandscapeBasins.Of(tree, graph);
            int[] rank = Enumerable.Range(0, values.Length).OrderBy(v => values[v]).ThenBy(v => v).Select((v, i) => (v, i)).OrderBy(p => p.v).Select(p => p.i).ToArray();
            int[] Neighbors(int v) => Enumerable.Range(0, values.Length).Where(u => u != v && Math.Abs((u / columns) - (v / columns)) <= 1 && Math.Abs((u % columns) - (v % columns)) <= 1).ToArray();

            for (int v = 0; v < values.Length; v++)
            {
                // Walk down the steepest drop per unit distance until no neighbour is lower.
                int at = v;
                while (true)
                {
                    var lower = Neighbors(at).Where(u => rank[u] < rank[at]).ToArray();
                    if (lower.Length == 0)
                    {
                        break;
                    }

                    double Slope(int u)
                    {
                        double[] p = landscape.GetCoordinates(at), q = landscape.GetCoordinates(u);
                        double drop = values[at] == values[u] ? 0 : values[at] - values[u];
                        return drop / Math.Sqrt(((p[0] - q[0]) * (p[0] - q[0])) + ((p[1] - q[1]) * (p[1] - q[1])));
                    }

                    at = lower.OrderByDescending(Slope).ThenBy(u => rank[u]).First();
                }

                Assert.That(basins.Basins[basins.BasinOf(v)].Vertex, Is.EqualTo(at), $"seed {seed}, vertex {v}");
            }

            Assert.That(basins.Basins.Sum(b => b.VertexCount), Is.EqualTo(values.Length));

            // SMAD from the tree's arcs, minimum → saddle.
            double[] gaps = tree.Arcs.Where(a => tree.Nodes[a.Lower].Kind == MergeTreeNodeKind.Minimum && tree.Nodes[a.Upper].Kind == MergeTreeNodeKind.Saddle)
                .Select(a => tree.Nodes[a.Upper].Value == tree.Nodes[a.Lower].Value ? 0 : tree.Nodes[a.Upper].Value - tree.Nodes[a.Lower].Value).ToArray();
            Assert.That(basins.Smad(), Is.EqualTo(gaps.Length == 0 ? 0 : gaps.Average()), $"seed {seed}");

            // Profile: a node's points are the sorted values of the sublevel component(s) it closes, then its parent's.
            TopologicalProfile profile = TopologicalProfile.Of(tree, graph);
            foreach (ProfileArea area in profile.Areas)
            {
                int vertex = tree.Nodes[area.Node].Vertex;
                var seen = new HashSet<int>();
                var stack = new Stack<int>(Neighbors(vertex).Where(u => rank[u] < rank[vertex]));
                while (stack.Count > 0)
                {
                    int u = stack.Pop();
                    if (seen.Add(u))
                    {
                        foreach (int w in Neighbors(u).Where(w => rank[w] < rank[vertex]))
                        {
                            stack.Push(w);
                        }
                    }
                }

                var expected = seen.Select(u => values[u]).Order().ToList();
                int up = tree.ParentOf(area.Node);
                if (up >= 0)
                {
                    expected.Add(tree.Nodes[up].Value);
                }

                Assert.That(area.Outline.Skip(area.Width).Select(p => p.Y), Is.EqualTo(expected), $"seed {seed}, node {area.Node}");
                if (up >= 0 && profile.Areas.FirstOrDefault(a => a.Node == up) is { Width: > 0 } parent)
                {
                    Assert.That(Math.Abs(area.Center - parent.Center) + (area.Width / 2.0), Is.LessThanOrEqualTo((parent.Width / 2.0) + 1e-9), "nested in its parent");
                }
            }
        }
    }

    [Test]
    public void RefusesATreeWithoutItsLandscapeOrAnotherGraph()
    {
        NeighborGraph graph = NeighborGraph.ForGrid(new GridTopology([1, 5], GridConnectivity.Axis));
        MergeTree bare = new MergeTreeBuilder().Build(graph, [3.0, 1, 2, 0, 4]);
        Assert.That(() => LandscapeBasins.Of(bare, graph), Throws.ArgumentException.With.Property("ParamName").EqualTo("tree"));
        Assert.That(() => TopologicalProfile.Of(bare, graph), Throws.ArgumentException.With.Property("ParamName").EqualTo("tree"));
        (MergeTree tree, _) = Hand();
        Assert.That(() => LandscapeBasins.Of(tree, NeighborGraph.FromEdges(4, [])), Throws.ArgumentException.With.Property("ParamName").EqualTo("graph"));
        Assert.That(() => LandscapeBasins.Of(tree, NeighborGraph.FromEdges(5, [])), Throws.ArgumentException.With.Property("ParamName").EqualTo("graph").And.Message.Contains("not the one the tree was built on"));
        Assert.That(() => LandscapeBasins.Of(tree, graph).Aggregate([1.0]), Throws.ArgumentException.With.Property("ParamName").EqualTo("values"));
    }
}
