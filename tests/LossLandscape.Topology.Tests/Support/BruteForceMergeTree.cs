using LossLandscape.Topology.Graphs;

namespace LossLandscape.Topology.Tests.Support;

/// <summary>
/// An independent, deliberately naive reference: after adding each vertex in (value, index) order, the
/// components of the sublevel set are recomputed from scratch by flood fill (no union-find, no radix sort).
/// O(N²), for small inputs only.
/// </summary>
internal sealed class BruteForceMergeTree
{
    private BruteForceMergeTree()
    {
    }

    public List<int> Minima { get; } = [];

    /// <summary>Saddle vertex → number of components that met there.</summary>
    public SortedDictionary<int, int> Saddles { get; } = [];

    /// <summary>(birth vertex, death vertex) of every finite pair.</summary>
    public List<(int Birth, int Death)> Pairs { get; } = [];

    /// <summary>(minimum vertex, top vertex) of every essential class.</summary>
    public List<(int Birth, int Top)> Essential { get; } = [];

    /// <summary>Arc keyed by its lower node's vertex: (upper node vertex, regular vertices in its region).</summary>
    public SortedDictionary<int, (int Upper, int Count)> Arcs { get; } = [];

    public static BruteForceMergeTree Compute(NeighborGraph graph, double[] values)
    {
        int n = values.Length;
        var result = new BruteForceMergeTree();
        int[] order = Enumerable.Range(0, n).OrderBy(v => values[v]).ThenBy(v => v).ToArray();
        var rank = new int[n];
        for (int r = 0; r < n; r++)
        {
            rank[order[r]] = r;
        }

        var included = new bool[n];
        var label = new int[n]; // component label of each included vertex: its lowest-ranked vertex
        Array.Fill(label, -1);
        var openLower = new Dictionary<int, int>(); // component label → vertex of its open arc's lower node
        var openCount = new Dictionary<int, int>();
        var last = new Dictionary<int, int>();
        var neighbors = new int[Math.Max(1, graph.MaxDegree)];

        foreach (int v in order)
        {
            int count = graph.GetNeighbors(v, neighbors);
            var met = new SortedSet<int>(Comparer<int>.Create((a, b) => rank[a].CompareTo(rank[b])));
            for (int e = 0; e < count; e++)
            {
                if (included[neighbors[e]])
                {
                    met.Add(label[neighbors[e]]);
                }
            }

            included[v] = true;
            if (met.Count == 0)
            {
                result.Minima.Add(v);
                openLower[v] = v;
                openCount[v] = 0;
            }
            else if (met.Count == 1)
            {
                openCount[met.Min]++;
            }
            else
            {
                result.Saddles[v] = met.Count;
                int eldest = met.Min;
                foreach (int c in met)
                {
                    result.Arcs[openLower[c]] = (v, openCount[c]);
                    if (c != eldest)
                    {
                        result.Pairs.Add((c, v));
                    }
                }

                openLower[eldest] = v;
                openCount[eldest] = 0;
            }

            Relabel(graph, included, label, rank);
            last[label[v]] = v;
        }

        foreach (int c in result.Minima.Where(m => label[m] == m))
        {
            int top = last[c];
            if (openLower[c] != top)
            {
                result.Arcs[openLower[c]] = (top, openCount[c] - 1);
            }

            result.Essential.Add((c, top));
        }

        return result;
    }

    private static void Relabel(NeighborGraph graph, bool[] included, int[] label, int[] rank)
    {
        int n = included.Length;
        Array.Fill(label, -1);
        var buffer = new int[Math.Max(1, graph.MaxDegree)];
        var members = new List<int>();
        var queue = new Queue<int>();
        for (int s = 0; s < n; s++)
        {
            if (!included[s] || label[s] >= 0)
            {
                continue;
            }

            members.Clear();
            label[s] = s;
            queue.Enqueue(s);
            while (queue.Count > 0)
            {
                int x = queue.Dequeue();
                members.Add(x);
                int count = graph.GetNeighbors(x, buffer);
                for (int e = 0; e < count; e++)
                {
                    int y = buffer[e];
                    if (included[y] && label[y] < 0)
                    {
                        label[y] = s;
                        queue.Enqueue(y);
                    }
                }
            }

            int lowest = members.MinBy(x => rank[x]);
            foreach (int x in members)
            {
                label[x] = lowest;
            }
        }
    }
}
