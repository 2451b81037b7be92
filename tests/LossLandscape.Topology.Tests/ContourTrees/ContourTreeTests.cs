using LossLandscape.Topology.ContourTrees;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Tests.ContourTrees;

/// <summary>
/// The contour tree against its definition: the level sets of the Freudenthal triangulation followed by flood fill
/// (<see cref="BruteForceContours"/>), on hundreds of small random grids with ties and infinities; the split tree
/// against flood fills of superlevel sets; the branch decomposition against a direct implementation of its rule.
/// </summary>
public class ContourTreeTests
{
    private static IEnumerable<(double[] Values, int Rows, int Columns, int Seed)> RandomGrids(int count, bool ties)
    {
        for (int seed = 0; seed < count; seed++)
        {
            var random = new Random(seed);
            int rows = random.Next(1, 8), columns = random.Next(1, 8);
            double[] values = Enumerable.Range(0, rows * columns).Select(_ => ties
                ? random.Next(10) switch { 0 => double.PositiveInfinity, 1 => double.NegativeInfinity, _ => random.Next(4) }
                : random.NextDouble()).ToArray();
            yield return (values, rows, columns, seed);
        }
    }

    private static ContourTree Build(double[] values, int rows, int columns)
        => ContourTree.Build(Landscape.FromGrid(values, [rows, columns]));

    [Test]
    public void CanMatchTheLevelSetsOfRandomGridsArcForArc()
    {
        int arcsCompared = 0;
        foreach ((double[] values, int rows, int columns, int seed) in RandomGrids(400, ties: true))
        {
            ContourTree tree = Build(values, rows, columns);
            HashSet<(int, int)> expected = BruteForceContours.AugmentedArcs(values, rows, columns);
            var actual = tree.AugmentedArcs.ToArray().ToHashSet();
            Assert.That(actual, Is.EquivalentTo(expected), $"seed {seed}, {rows} × {columns}");
            Assert.That(tree.AugmentedArcs.Length, Is.EqualTo(values.Length - 1), "a tree: one arc per vertex but one");
            Assert.That(tree.Nodes.Length + tree.Arcs.Sum(a => a.RegularVertexCount), Is.EqualTo(values.Length), "nodes and regular vertices add up");
            arcsCompared += expected.Count;
        }

        Assert.That(arcsCompared, Is.GreaterThan(5000));
    }

    [Test]
    public void HasTheMergeTreesMinimaAndFloodFillsSplitSaddles()
    {
        foreach ((double[] values, int rows, int columns, int seed) in RandomGrids(200, ties: true))
        {
            ContourTree tree = Build(values, rows, columns);
            MergeTree join = new MergeTreeBuilder().Build(NeighborGraph.ForGrid(new GridTopology([rows, columns], GridConnectivity.Freudenthal)), Landscape.FromGrid(values, [rows, columns]));
            Assert.That(tree.Nodes.Count(n => n.Kind == ContourTreeNodeKind.Minimum || (n.Kind == ContourTreeNodeKind.Root && values.Length == 1)), Is.EqualTo(join.MinimumCount), $"seed {seed}");

            // Per vertex, the superlevel components above it that it touches (flood fill): its split-tree children.
            var (_, _, rank, edges, _) = BruteForceContours.Triangulate(values, rows, columns);
            var neighbors = Enumerable.Range(0, values.Length).Select(_ => new List<int>()).ToArray();
            foreach ((int a, int b) in edges)
            {
                neighbors[a].Add(b);
                neighbors[b].Add(a);
            }

            var children = new Dictionary<int, int>();
            foreach (ContourTreeNode node in tree.SplitTree.Nodes)
            {
                children[node.Vertex] = node.UpDegree;
            }

            for (int v = 0; v < values.Length; v++)
            {
                int components = SuperlevelComponentsTouched(v, rank, neighbors);
                int expected = children.TryGetValue(v, out int c) ? c : 1;
                Assert.That(components, Is.EqualTo(expected), $"seed {seed}, vertex {v}");
            }

            Assert.That(tree.SplitTree.MaximumCount, Is.EqualTo(tree.Nodes.Count(n => n.Kind == ContourTreeNodeKind.Maximum)), "the contour tree's maxima are the split tree's");
        }
    }

    [Test]
    public void CanDecomposeIntoBranchesAsTheRuleSays()
    {
        // Distinct values: every persistence differs, so the order of cuts is the rule's alone.
        foreach ((double[] values, int rows, int columns, int seed) in RandomGrids(300, ties: false))
        {
            ContourTree tree = Build(values, rows, columns);
            var expected = BruteForceBranches(tree);
            var actual = tree.Branches.Select(b => (tree.Nodes[b.Lower].Vertex, tree.Nodes[b.Upper].Vertex,
                b.Parent < 0 ? (-1, -1) : (tree.Nodes[tree.Branches[b.Parent].Lower].Vertex, tree.Nodes[tree.Branches[b.Parent].Upper].Vertex))).ToHashSet();
            Assert.That(actual, Is.EquivalentTo(expected), $"seed {seed}");
            Assert.That(tree.Branches.Count(b => b.IsMain), Is.EqualTo(1));
            Assert.That(tree.Branches.Where(b => !b.IsMain).All(b => b.Persistence >= 0), Is.True);
            Assert.That(tree.Branches.Sum(b => ArcsOn(tree, b)), Is.EqualTo(tree.Arcs.Length), "every arc lies on exactly one branch");
        }
    }

    [Test]
    public void SweepsBothTreesAtOnceAsOneAfterTheOther()
    {
        // From 2¹⁸ vertices the join and split sweeps run on two threads: the trees are those of the two sweeps run alone.
        var random = new Random(12);
        int rows = 640, columns = 420;
        double[] values = Enumerable.Range(0, rows * columns).Select(_ => (double)random.Next(50)).ToArray();
        NeighborGraph graph = NeighborGraph.ForGrid(new GridTopology([rows, columns], GridConnectivity.Freudenthal));
        int[] order = Enumerable.Range(0, values.Length).OrderBy(v => values[v]).ThenBy(v => v).ToArray();
        var rank = new int[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            rank[order[i]] = i;
        }

        (LevelSweeps.Tree join, LevelSweeps.Tree split) = LevelSweeps.Both(graph, order, rank);
        LevelSweeps.Tree joinAlone = LevelSweeps.Sweep(graph, order, rank, upwards: true);
        LevelSweeps.Tree splitAlone = LevelSweeps.Sweep(graph, order, rank, upwards: false);
        Assert.That((join.Parent, join.ChildCount, join.ChildSum), Is.EqualTo((joinAlone.Parent, joinAlone.ChildCount, joinAlone.ChildSum)));
        Assert.That((split.Parent, split.ChildCount, split.ChildSum), Is.EqualTo((splitAlone.Parent, splitAlone.ChildCount, splitAlone.ChildSum)));
        Assert.That(ContourTree.Build(graph, values).AugmentedArcs.Length, Is.EqualTo(values.Length - 1));
    }

    [Test]
    public void CanBuildAHandTree()
    {
        // A path 0 – 1 – 2 – 3 with values 0, 2, 1, 3. On a 1-D domain the contour tree is the path itself: vertex 2
        // starts two contours (up 2), vertex 1 ends two (down 2).
        NeighborGraph path = NeighborGraph.FromEdges(4, [(0, 1), (1, 2), (2, 3)]);
        ContourTree tree = ContourTree.Build(path, [0.0, 2, 1, 3]);
        Assert.That(tree.Nodes, Is.EqualTo(new[]
        {
            new ContourTreeNode(0, 0, 0, 1), new ContourTreeNode(2, 1, 0, 2), new ContourTreeNode(1, 2, 2, 0), new ContourTreeNode(3, 3, 1, 0),
        }));
        Assert.That(tree.Arcs, Is.EqualTo(new[] { new ContourTreeArc(0, 2, 0), new ContourTreeArc(1, 2, 0), new ContourTreeArc(1, 3, 0) }));

        // Cuts: 0–1 (persistence 2, first of the two leaf arcs of 2), which leaves vertex 1 a leaf; then 2–1 (1); the
        // main branch 2–3 is left.
        Assert.That(tree.Branches, Is.EqualTo(new[] { new ContourTreeBranch(0, 0, 2, 1, 2), new ContourTreeBranch(1, 1, 2, 2, 1), new ContourTreeBranch(2, 1, 3, -1, 2) }));
        Assert.That(tree.SplitTree.Nodes.Select(n => (n.Vertex, n.Kind)), Is.EqualTo(new[] { (3, ContourTreeNodeKind.Maximum), (1, ContourTreeNodeKind.Maximum), (2, ContourTreeNodeKind.Saddle), (0, ContourTreeNodeKind.Minimum) }));
        Assert.That(tree.ToString(), Does.Contain("2 minima, 2 maxima, 0 saddles, 3 branches"));
    }

    [Test]
    public void CanReadNaNAsInfinityOrRefuseIt()
    {
        double[] values = [0, double.NaN, 1, 2];
        Assert.That(() => ContourTree.Build(Landscape.FromGrid(values, [2, 2])), Throws.ArgumentException.With.Message.Contains("(0, 1)"));
        ContourTree tree = ContourTree.Build(Landscape.FromGrid(values, [2, 2]), NaNHandling.TreatAsPositiveInfinity);
        Assert.That(tree.Nodes[^1].Value, Is.EqualTo(double.PositiveInfinity));
        Assert.That(tree.Branches.Single(b => b.IsMain).Persistence, Is.EqualTo(double.PositiveInfinity));
        Assert.That(() => ContourTree.Build(Landscape.FromPoints(new double[,] { { 0, 0 }, { 1, 1 } }, [1.0, 2])),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("landscape"));
        Assert.That(() => ContourTree.Build(NeighborGraph.FromEdges(3, [(0, 1)]), [1.0, 2]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("values"));
    }

    [Test]
    public void CanBuildAForestOnAGraphInParts()
    {
        // Two parts and a vertex alone: a main branch each.
        NeighborGraph graph = NeighborGraph.FromEdges(6, [(0, 1), (1, 2), (3, 4)]);
        ContourTree tree = ContourTree.Build(graph, [1.0, 0, 2, 5, 4, 7]);
        Assert.That(tree.Branches.Count(b => b.IsMain), Is.EqualTo(3));
        Assert.That(tree.Nodes.Count(n => n.Kind == ContourTreeNodeKind.Root), Is.EqualTo(1));
        Assert.That(tree.Branches.Where(b => b.IsMain).Select(b => b.Persistence).Order(), Is.EqualTo(new[] { 0.0, 1, 2 }));
    }

    /// <summary>Arcs of the monotone path from a branch's lower end up to its upper end.</summary>
    private static int ArcsOn(ContourTree tree, ContourTreeBranch branch)
    {
        // Depth-first along upward arcs: a tree has one path between two nodes.
        int Walk(int node, int depth)
        {
            if (node == branch.Upper)
            {
                return depth;
            }

            foreach (ContourTreeArc arc in tree.Arcs.Where(a => a.Lower == node))
            {
                int found = Walk(arc.Upper, depth + 1);
                if (found >= 0)
                {
                    return found;
                }
            }

            return -1;
        }

        int arcs = Walk(branch.Lower, 0);
        Assert.That(arcs, Is.GreaterThanOrEqualTo(0), $"branch {branch.Id} is no monotone path");
        return arcs;
    }

    private static int SuperlevelComponentsTouched(int v, int[] rank, List<int>[] neighbors)
    {
        var seen = new HashSet<int>();
        int components = 0;
        foreach (int start in neighbors[v].Where(u => rank[u] > rank[v]))
        {
            if (!seen.Add(start))
            {
                continue;
            }

            components++;
            var stack = new Stack<int>([start]);
            while (stack.Count > 0)
            {
                foreach (int w in neighbors[stack.Pop()].Where(w => rank[w] > rank[v] && seen.Add(w)))
                {
                    stack.Push(w);
                }
            }
        }

        return components;
    }

    /// <summary>
    /// The branch rule done directly on an edge list: among the leaf arcs whose saddle has another arc on the leaf's
    /// side, cut the one of least persistence; join a saddle's two arcs when one is left on each side; repeat.
    /// </summary>
    private static HashSet<(int, int, (int, int))> BruteForceBranches(ContourTree tree)
    {
        if (tree.Arcs.IsEmpty)
        {
            return [(tree.Nodes[0].Vertex, tree.Nodes[0].Vertex, (-1, -1))]; // one vertex: a branch of its own
        }

        var arcs = tree.Arcs.Select(a => (Lower: tree.Nodes[a.Lower].Vertex, Upper: tree.Nodes[a.Upper].Vertex, Inner: new List<int>())).ToList();
        var value = tree.Nodes.ToDictionary(n => n.Vertex, n => n.Value);
        int Up(int v) => arcs.Count(a => a.Lower == v);
        int Down(int v) => arcs.Count(a => a.Upper == v);
        var cut = new List<(int Lower, int Upper, int Saddle)>();
        var owner = new Dictionary<int, (int, int)>();
        while (true)
        {
            var candidates = arcs.Where(a => (Up(a.Upper) == 0 && Down(a.Upper) == 1 && Up(a.Lower) >= 2) || (Down(a.Lower) == 0 && Up(a.Lower) == 1 && Down(a.Upper) >= 2)).ToList();
            if (candidates.Count == 0)
            {
                break;
            }

            var a = candidates.MinBy(c => value[c.Upper] - value[c.Lower]);
            arcs.Remove(a);
            int saddle = Up(a.Upper) == 0 && Down(a.Upper) == 0 ? a.Lower : a.Upper;
            cut.Add((a.Lower, a.Upper, saddle));
            foreach (int inner in a.Inner)
            {
                owner[inner] = (a.Lower, a.Upper);
            }

            owner.TryAdd(saddle == a.Lower ? a.Upper : a.Lower, (a.Lower, a.Upper)); // its leaf, unless a branch ends there already

            if (Up(saddle) == 1 && Down(saddle) == 1)
            {
                var below = arcs.Single(x => x.Upper == saddle);
                var above = arcs.Single(x => x.Lower == saddle);
                arcs.Remove(below);
                arcs.Remove(above);
                arcs.Add((below.Lower, above.Upper, [.. below.Inner, saddle, .. above.Inner]));
            }
        }

        var main = arcs.Single();
        foreach (int inner in main.Inner)
        {
            owner[inner] = (main.Lower, main.Upper);
        }

        owner.TryAdd(main.Lower, (main.Lower, main.Upper));
        owner.TryAdd(main.Upper, (main.Lower, main.Upper));

        var result = cut.Select(c => (c.Lower, c.Upper, owner[c.Saddle])).ToHashSet();
        result.Add((main.Lower, main.Upper, (-1, -1)));
        return result;
    }
}
