using System.Collections.Immutable;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Metrics;

/// <summary>
/// The topological landscape profile of a merge tree (Landscaper's <c>topology_profile.generate_profile</c>, drawn by
/// its <c>plots.topology_profile</c>): every node becomes a symmetric area whose half-width at height y counts the
/// vertices of its subtree below y, nested inside its parent's, so the picture is a 1-D silhouette of the landscape's
/// basins whose areas are their sizes.
/// </summary>
/// <remarks>
/// Landscaper's rules: a node's points are the sorted values of every vertex strictly below it in the components that
/// meet at it, followed by its parent's value; its width is their count. A part's root spans [0, width], children are
/// laid side by side, widest first, centred in their parent's interval, each as wide as it is; the area of a node is
/// (center − k, y) for its points in descending order and (center + k, y) in ascending order. Parts of a graph with
/// several are laid side by side. The cost is the sum of subtree sizes (about the vertex count times the tree's depth):
/// simplify a large tree first (<see cref="MergeTree.Simplify"/>) to draw it.
/// </remarks>
public sealed class TopologicalProfile
{
    private const long MaxPoints = 1L << 27;

    private TopologicalProfile(ProfileArea[] areas) => Areas = [.. areas];

    /// <summary>One area per node (nodes with no point left out), children before their parent.</summary>
    public ImmutableArray<ProfileArea> Areas { get; }

    /// <summary>The profile of <paramref name="tree"/> on <paramref name="graph"/>, the graph the tree was built on.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The tree has no landscape, the graph is not the tree's, or the profile would exceed 2²⁷ points (simplify the tree).</exception>
    public static TopologicalProfile Of(MergeTree tree, NeighborGraph graph)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(graph);
        if (tree.Landscape is not { } landscape)
        {
            throw new ArgumentException("The tree was built from bare values; the profile needs its Landscape.", nameof(tree));
        }

        if (graph.VertexCount != tree.VertexCount)
        {
            throw new ArgumentException($"The graph has {graph.VertexCount} vertices but the tree {tree.VertexCount}.", nameof(graph));
        }

        int nodes = tree.Nodes.Length;
        var children = new List<int>[nodes];
        for (int i = 0; i < nodes; i++)
        {
            children[i] = [];
        }

        for (int i = 0; i < nodes; i++)
        {
            int up = tree.ParentOf(i);
            if (up >= 0)
            {
                children[up].Add(i);
            }
        }

        // Sizes first, from the tree alone, so an oversized profile is refused before anything is allocated for it.
        var below = new long[nodes];
        long total = 0;
        for (int i = 0; i < nodes; i++)
        {
            foreach (int c in children[i])
            {
                below[i] += 1 + tree.UpArcOf(c)!.Value.RegionVertexCount + below[c]; // ids grow upwards: children are done
            }

            total += below[i] + 1;
        }

        if (total > MaxPoints)
        {
            throw new ArgumentException($"The profile of this tree would hold {total} points (more than 2^27): simplify the tree first (MergeTree.Simplify).", nameof(tree));
        }

        double[][] points = SubtreeValues(tree, graph, landscape.Values);
        for (int i = 0; i < nodes; i++)
        {
            int up = tree.ParentOf(i);
            if (up >= 0)
            {
                points[i] = [.. points[i], tree.Nodes[up].Value];
            }
        }

        var center = new double[nodes];
        double offset = 0;
        foreach (int root in Enumerable.Range(0, nodes).Where(i => tree.ParentOf(i) < 0))
        {
            Place(root, offset, offset + points[root].Length, children, points, center);
            offset += points[root].Length;
        }

        var areas = new List<ProfileArea>();
        foreach (int root in Enumerable.Range(0, nodes).Where(i => tree.ParentOf(i) < 0))
        {
            Collect(root, children, points, center, areas);
        }

        return new TopologicalProfile([.. areas]);
    }

    private static void Place(int node, double start, double end, List<int>[] children, double[][] points, double[] center)
    {
        center[node] = (start + end) / 2;
        double childWidth = children[node].Sum(c => points[c].Length);
        double left = start + ((end - start) / 2) - (childWidth / 2);
        foreach (int child in children[node].OrderByDescending(c => points[c].Length).ThenBy(c => c))
        {
            Place(child, left, left + points[child].Length, children, points, center);
            left += points[child].Length;
        }
    }

    private static void Collect(int node, List<int>[] children, double[][] points, double[] center, List<ProfileArea> areas)
    {
        foreach (int child in children[node])
        {
            Collect(child, children, points, center, areas);
        }

        double[] p = points[node];
        if (p.Length == 0)
        {
            return;
        }

        var outline = new (double X, double Y)[2 * p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            outline[i] = (center[node] - (p.Length - i), p[p.Length - 1 - i]);
            outline[p.Length + i] = (center[node] + i, p[i]);
        }

        areas.Add(new ProfileArea(node, center[node], p.Length, [.. outline]));
    }

    /// <summary>
    /// Per node, the sorted values of the vertices below it in the components that meet at it: one union-find sweep in
    /// (value, index) order, each component keeping its values in the order they arrive (ascending).
    /// </summary>
    private static double[][] SubtreeValues(MergeTree tree, NeighborGraph graph, ReadOnlySpan<double> values)
    {
        int n = values.Length;
        int[] rank = SteepestDescent.Ranks(values);
        var order = new int[n];
        for (int v = 0; v < n; v++)
        {
            order[rank[v]] = v;
        }

        var nodeOf = new Dictionary<int, int>();
        for (int i = 0; i < tree.Nodes.Length; i++)
        {
            nodeOf[tree.Nodes[i].Vertex] = i;
        }

        var set = new int[n];
        var members = new List<double>?[n];
        var result = new double[tree.Nodes.Length][];
        var neighbors = new int[Math.Max(1, graph.MaxDegree)];
        var roots = new List<int>();
        foreach (int v in order)
        {
            set[v] = v;
            int degree = graph.GetNeighbors(v, neighbors);
            roots.Clear();
            for (int k = 0; k < degree; k++)
            {
                int u = neighbors[k];
                if (rank[u] < rank[v])
                {
                    int r = Find(set, u);
                    if (!roots.Contains(r))
                    {
                        roots.Add(r);
                    }
                }
            }

            List<double> merged = roots.Count switch
            {
                0 => [],
                1 => members[roots[0]]!,
                _ => MergeSorted(roots.Select(r => members[r]!)),
            };
            if (nodeOf.TryGetValue(v, out int node))
            {
                result[node] = [.. merged];
            }

            foreach (int r in roots)
            {
                set[r] = v;
                members[r] = null;
            }

            merged.Add(NaNAsInfinity.Read(values[v]));
            members[v] = merged;
        }

        return result;
    }

    private static List<double> MergeSorted(IEnumerable<List<double>> lists)
    {
        var all = new List<double>();
        foreach (List<double> list in lists)
        {
            all.AddRange(list);
        }

        all.Sort();
        return all;
    }

    private static int Find(int[] set, int v)
    {
        while (set[v] != v)
        {
            set[v] = set[set[v]];
            v = set[v];
        }

        return v;
    }
}

/// <summary>One node's area in a <see cref="TopologicalProfile"/>.</summary>
/// <param name="Node">The merge-tree node id.</param>
/// <param name="Center">The area's horizontal centre.</param>
/// <param name="Width">Its number of points (its half-width at the top).</param>
/// <param name="Outline">The outline, left side from the top down, then right side from the bottom up: Landscaper's "area".</param>
public readonly record struct ProfileArea(int Node, double Center, int Width, ImmutableArray<(double X, double Y)> Outline);
