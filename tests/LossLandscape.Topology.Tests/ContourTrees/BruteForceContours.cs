namespace LossLandscape.Topology.Tests.ContourTrees;

/// <summary>
/// The augmented contour tree of a grid's Freudenthal triangulation computed from its level sets: at each level
/// between two consecutive vertices (in (value, index) order) the level set is the set of edges it crosses, and two
/// crossing edges of one triangle lie on the same contour (flood fill over triangles). A contour is followed to the
/// next level through the edges that cross both, unless the vertex between the two levels lies on it; then it ends
/// there, and the contours that vertex starts begin. Each followed contour is one arc, from the vertex where it
/// starts to the vertex where it ends. Quadratic in the grid size: for small grids.
/// </summary>
internal static class BruteForceContours
{
    public static (int Rows, int Columns, int[] Rank, (int A, int B)[] Edges, int[][] Triangles) Triangulate(double[] values, int rows, int columns)
    {
        int n = rows * columns;
        int[] order = Enumerable.Range(0, n).OrderBy(v => values[v]).ThenBy(v => v).ToArray();
        var rank = new int[n];
        for (int i = 0; i < n; i++)
        {
            rank[order[i]] = i;
        }

        var edges = new List<(int, int)>();
        var index = new Dictionary<(int, int), int>();
        int Edge(int a, int b)
        {
            var key = a < b ? (a, b) : (b, a);
            if (!index.TryGetValue(key, out int e))
            {
                e = edges.Count;
                edges.Add(key);
                index[key] = e;
            }

            return e;
        }

        var triangles = new List<int[]>();
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                int v = (i * columns) + j;
                if (j + 1 < columns)
                {
                    Edge(v, v + 1);
                }

                if (i + 1 < rows)
                {
                    Edge(v, v + columns);
                }

                if (i + 1 < rows && j + 1 < columns)
                {
                    // The diagonal joins [i + 1, j] and [i, j + 1], as GridConnectivity.Freudenthal does.
                    int down = v + columns, right = v + 1, corner = v + columns + 1;
                    triangles.Add([Edge(v, down), Edge(v, right), Edge(down, right)]);
                    triangles.Add([Edge(down, right), Edge(down, corner), Edge(right, corner)]);
                }
            }
        }

        return (rows, columns, rank, [.. edges], [.. triangles]);
    }

    public static HashSet<(int Lower, int Upper)> AugmentedArcs(double[] values, int rows, int columns)
    {
        var (_, _, rank, edges, triangles) = Triangulate(values, rows, columns);
        int n = values.Length;
        int m = edges.Length;
        int Low(int e) => Math.Min(rank[edges[e].A], rank[edges[e].B]);
        int High(int e) => Math.Max(rank[edges[e].A], rank[edges[e].B]);
        bool Crosses(int e, int level) => Low(e) <= level && level < High(e);

        // Items (level, edge), level r lying between ranks r and r + 1.
        int levels = Math.Max(0, n - 1);
        var global = new UnionFind(levels * m);
        var component = new int[levels][];
        for (int r = 0; r < levels; r++)
        {
            var local = new UnionFind(m);
            foreach (int[] t in triangles)
            {
                int[] crossing = t.Where(e => Crosses(e, r)).ToArray();
                if (crossing.Length == 2)
                {
                    local.Union(crossing[0], crossing[1]);
                }
            }

            component[r] = Enumerable.Range(0, m).Select(e => Crosses(e, r) ? local.Find(e) : -1).ToArray();
            for (int e = 0; e < m; e++)
            {
                if (component[r][e] >= 0)
                {
                    global.Union((r * m) + e, (r * m) + component[r][e]);
                }
            }
        }

        for (int r = 0; r + 1 < levels; r++)
        {
            // The vertex between level r and level r + 1 has rank r + 1; the contours of level r it lies on end at it.
            var onVertex = new HashSet<int>(Enumerable.Range(0, m).Where(e => component[r][e] >= 0 && High(e) == r + 1).Select(e => component[r][e]));
            for (int e = 0; e < m; e++)
            {
                if (component[r][e] >= 0 && Crosses(e, r + 1) && !onVertex.Contains(component[r][e]))
                {
                    global.Union((r * m) + e, ((r + 1) * m) + e);
                }
            }
        }

        var starts = new Dictionary<int, HashSet<int>>();
        var ends = new Dictionary<int, HashSet<int>>();
        int[] vertexOfRank = new int[n];
        for (int v = 0; v < n; v++)
        {
            vertexOfRank[rank[v]] = v;
        }

        for (int r = 0; r < levels; r++)
        {
            for (int e = 0; e < m; e++)
            {
                if (component[r][e] < 0)
                {
                    continue;
                }

                int cls = global.Find((r * m) + e);
                if (Low(e) == r)
                {
                    Add(starts, cls, vertexOfRank[r]);
                }

                if (High(e) == r + 1)
                {
                    Add(ends, cls, vertexOfRank[r + 1]);
                }
            }
        }

        var arcs = new HashSet<(int, int)>();
        foreach ((int cls, HashSet<int> from) in starts)
        {
            if (from.Count != 1 || !ends.TryGetValue(cls, out HashSet<int>? to) || to.Count != 1)
            {
                throw new InvalidOperationException($"Brute force: a contour with {from.Count} start and {(ends.TryGetValue(cls, out var t) ? t.Count : 0)} end vertices.");
            }

            arcs.Add((from.Single(), to.Single()));
        }

        return arcs;
    }

    private static void Add(Dictionary<int, HashSet<int>> map, int key, int value)
    {
        if (!map.TryGetValue(key, out HashSet<int>? set))
        {
            map[key] = set = [];
        }

        set.Add(value);
    }

    private sealed class UnionFind
    {
        private readonly int[] _parent;

        public UnionFind(int n) => _parent = Enumerable.Range(0, n).ToArray();

        public int Find(int x)
        {
            while (_parent[x] != x)
            {
                _parent[x] = _parent[_parent[x]];
                x = _parent[x];
            }

            return x;
        }

        public void Union(int a, int b) => _parent[Find(a)] = Find(b);
    }
}
