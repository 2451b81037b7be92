using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Ordering;

namespace LossLandscape.Topology.Metrics;

/// <summary>
/// Steepest-descent basins on a graph, as topopy's Morse–Smale complex (gradient "steepest") that Landscaper uses:
/// each vertex flows to the lower neighbour with the largest drop per unit of distance (ties to the lowest in
/// (value, index) order), and a vertex with no lower neighbour is a minimum.
/// </summary>
internal static class SteepestDescent
{
    /// <summary>The (value, index) order: NaN read as +∞, as a tree that accepted NaN did.</summary>
    public static int[] Ranks(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        var keys = new ulong[n];
        SortableKeys.Fill(values, keys, NaNHandling.TreatAsPositiveInfinity);
        var order = new int[n];
        RadixArgsort.Sort(keys, new ulong[n], order, new int[n]);
        var rank = new int[n];
        for (int i = 0; i < n; i++)
        {
            rank[order[i]] = i;
        }

        return rank;
    }

    /// <summary>Per vertex, the minimum its steepest-descent path ends at.</summary>
    public static int[] Basins(NeighborGraph graph, Landscape landscape, int[] rank)
    {
        int n = landscape.Count;
        ReadOnlySpan<double> values = landscape.Values;
        var order = new int[n];
        for (int v = 0; v < n; v++)
        {
            order[rank[v]] = v;
        }

        var basin = new int[n];
        var neighbors = new int[Math.Max(1, graph.MaxDegree)];
        var here = new double[landscape.Dimension];
        var there = new double[landscape.Dimension];
        foreach (int v in order)
        {
            int degree = graph.GetNeighbors(v, neighbors);
            int best = -1;
            double bestSlope = 0;
            landscape.GetCoordinates(v, here);
            for (int k = 0; k < degree; k++)
            {
                int u = neighbors[k];
                if (rank[u] >= rank[v])
                {
                    continue;
                }

                landscape.GetCoordinates(u, there);
                double distance = 0;
                for (int d = 0; d < here.Length; d++)
                {
                    distance += (here[d] - there[d]) * (here[d] - there[d]);
                }

                double fv = NaNAsInfinity.Read(values[v]), fu = NaNAsInfinity.Read(values[u]);
                double drop = fv == fu ? 0 : fv - fu;
                double slope = distance > 0 ? drop / Math.Sqrt(distance) : drop;
                if (best < 0 || slope > bestSlope || (slope == bestSlope && rank[u] < rank[best]))
                {
                    best = u;
                    bestSlope = slope;
                }
            }

            basin[v] = best < 0 ? v : basin[best];
        }

        return basin;
    }

}
