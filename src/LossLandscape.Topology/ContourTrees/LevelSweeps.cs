using LossLandscape.Topology.Graphs;

namespace LossLandscape.Topology.ContourTrees;

/// <summary>
/// The augmented join and split trees (Carr, Snoeyink and Axen 2003): every vertex is a node, linked to the vertex
/// above it (join) or below it (split) where its sublevel (superlevel) component next grows. One union-find sweep each.
/// </summary>
internal sealed class LevelSweeps
{
    /// <param name="Parent">Per vertex, the next vertex of its component in the sweep, −1 for the last one.</param>
    /// <param name="ChildCount">Per vertex, the components that meet at it.</param>
    /// <param name="ChildSum">Per vertex, the sum of those components' last vertices: the child itself when there is one.</param>
    internal readonly record struct Tree(int[] Parent, int[] ChildCount, long[] ChildSum);

    /// <summary>Sweeps upwards (join tree) or downwards (split tree) in the order of <paramref name="order"/>.</summary>
    public static Tree Sweep(NeighborGraph graph, int[] order, int[] rank, bool upwards)
    {
        int n = order.Length;
        var parent = new int[n];
        var count = new int[n];
        var sum = new long[n];
        var set = new int[n];
        var head = new int[n]; // per union-find root: the component's last vertex so far
        Array.Fill(parent, -1);
        var neighbors = new int[Math.Max(1, graph.MaxDegree)];
        for (int i = 0; i < n; i++)
        {
            int v = upwards ? order[i] : order[n - 1 - i];
            int rv = rank[v];
            set[v] = v;
            head[v] = v;
            int degree = graph.GetNeighbors(v, neighbors);
            for (int k = 0; k < degree; k++)
            {
                int u = neighbors[k];
                if (upwards ? rank[u] >= rv : rank[u] <= rv)
                {
                    continue; // not swept yet
                }

                int ru = Find(set, u);
                int root = Find(set, v);
                if (ru != root)
                {
                    int last = head[ru];
                    parent[last] = v;
                    count[v]++;
                    sum[v] += last;
                    set[ru] = root;
                    head[root] = v;
                }
            }
        }

        return new Tree(parent, count, sum);
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
