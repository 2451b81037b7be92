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

    /// <summary>
    /// Both trees; from 2¹⁸ vertices at once on two threads when two cores are free (the sweeps share nothing but the
    /// order; below that, the 100 ms it takes to see which cores are free would cost more than it saves).
    /// </summary>
    public static (Tree Join, Tree Split) Both(NeighborGraph graph, int[] order, int[] rank)
    {
        if (order.Length < 1 << 18)
        {
            return (Sweep(graph, order, rank, upwards: true), Sweep(graph, order, rank, upwards: false));
        }

        Tree join = default, split = default;
        Parallel.Invoke(
            new ParallelOptions { MaxDegreeOfParallelism = Math.Min(2, ComputeThreads.Choose()) },
            () => join = Sweep(graph, order, rank, upwards: true),
            () => split = Sweep(graph, order, rank, upwards: false));
        return (join, split);
    }

    /// <summary>Sweeps upwards (join tree) or downwards (split tree) in the order of <paramref name="order"/>.</summary>
    public static Tree Sweep(NeighborGraph graph, int[] order, int[] rank, bool upwards)
    {
        GridTopology? grid = graph.Grid;
        if (grid is { Dimension: 2 } && grid.VertexCount > 1)
        {
            return Sweep(new Grid2DNeighborhood(grid), graph.MaxDegree, order, rank, upwards);
        }

        return grid is not null
            ? Sweep(new GridNeighborhood(grid), grid.Scratch, order, rank, upwards)
            : Sweep(new CsrNeighborhood(graph.OffsetsArray, graph.TargetsArray), graph.MaxDegree, order, rank, upwards);
    }

    private static Tree Sweep<TNeighborhood>(TNeighborhood neighborhood, int maxDegree, int[] order, int[] rank, bool upwards)
        where TNeighborhood : struct, ISweepNeighborhood
    {
        int n = order.Length;
        var parent = new int[n];
        var count = new int[n];
        var sum = new long[n];
        var set = new int[n];
        var head = new int[n]; // per union-find root: the component's last vertex so far
        Array.Fill(parent, -1);
        var neighbors = new int[Math.Max(1, maxDegree)];
        for (int i = 0; i < n; i++)
        {
            int v = upwards ? order[i] : order[n - 1 - i];
            int rv = rank[v];
            set[v] = v;
            head[v] = v;
            int degree = neighborhood.Fill(v, neighbors);
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
