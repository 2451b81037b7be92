namespace LossLandscape.Topology.Graphs;

/// <summary>
/// An immutable, undirected graph on the vertices of a landscape, in compressed sparse row (CSR) form:
/// the neighbours of vertex v are <c>Targets[Offsets[v] .. Offsets[v + 1]]</c>, and every edge is stored in
/// both directions.
/// </summary>
/// <remarks>
/// Graphs of regular grids keep only their <see cref="GridTopology"/> (a stencil) and build the CSR arrays
/// the first time <see cref="Offsets"/> or <see cref="Targets"/> is read: a 4096² grid with 8 neighbours
/// would otherwise spend 32 bytes per vertex on adjacency that the merge tree never needs.
/// </remarks>
public sealed class NeighborGraph
{
    private Csr? _csr; // set at construction, or once on first use for an implicit grid (LazyInitializer)

    private NeighborGraph(int vertexCount, int[]? offsets, int[]? targets, GridTopology? grid, int maxDegree)
    {
        VertexCount = vertexCount;
        _csr = offsets is null ? null : new Csr(offsets, targets!);
        Grid = grid;
        MaxDegree = maxDegree;
    }

    /// <summary>Number of vertices.</summary>
    public int VertexCount { get; }

    /// <summary>Largest number of neighbours of any vertex (for grids, the stencil size).</summary>
    public int MaxDegree { get; }

    /// <summary>The implicit grid structure when this graph was built on a regular grid; otherwise null.</summary>
    public GridTopology? Grid { get; }

    /// <summary>Number of undirected edges.</summary>
    public long EdgeCount => Grid?.EdgeCount ?? (Targets.Length / 2);

    /// <summary>CSR row offsets, <see cref="VertexCount"/> + 1 entries.</summary>
    public ReadOnlySpan<int> Offsets
    {
        get
        {
            return Materialize().Offsets;
        }
    }

    /// <summary>CSR column indices: the neighbours of every vertex, each row sorted ascending.</summary>
    public ReadOnlySpan<int> Targets
    {
        get
        {
            return Materialize().Targets;
        }
    }

    /// <summary>The CSR offsets array, materialised if needed (for internal sweeps).</summary>
    internal int[] OffsetsArray
    {
        get
        {
            return Materialize().Offsets;
        }
    }

    /// <summary>The CSR targets array, materialised if needed (for internal sweeps).</summary>
    internal int[] TargetsArray
    {
        get
        {
            return Materialize().Targets;
        }
    }

    /// <summary>Creates the graph of a regular grid without storing its adjacency.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="grid"/> is null.</exception>
    public static NeighborGraph ForGrid(GridTopology grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        int maxDegree = grid.VertexCount == 1 ? 0 : MaxGridDegree(grid);
        return new NeighborGraph(grid.VertexCount, null, null, grid, maxDegree);
    }

    /// <summary>
    /// Stores an implicit graph's adjacency (CSR) after checking it as <see cref="FromCsr"/> does (every neighbour a
    /// valid other vertex, every edge listed from both ends, once): a way to check an <see cref="INeighborhood"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The neighbourhood is not a valid undirected graph (the first offending entry is named).</exception>
    public static NeighborGraph FromNeighborhood<TNeighborhood>(TNeighborhood neighborhood)
        where TNeighborhood : INeighborhood
    {
        ArgumentNullException.ThrowIfNull(neighborhood);
        int n = neighborhood.VertexCount;
        ArgumentOutOfRangeException.ThrowIfNegative(n, nameof(neighborhood));
        ArgumentOutOfRangeException.ThrowIfNegative(neighborhood.MaxDegree, nameof(neighborhood));
        var offsets = new int[n + 1];
        var targets = new List<int>();
        var row = new int[neighborhood.MaxDegree];
        for (int v = 0; v < n; v++)
        {
            int count = neighborhood.GetNeighbors(v, row);
            if ((uint)count > (uint)row.Length)
            {
                throw new ArgumentException($"The neighbourhood gave vertex {v} {count} neighbours; its MaxDegree is {row.Length}.", nameof(neighborhood));
            }

            targets.AddRange(row.AsSpan(0, count));
            offsets[v + 1] = targets.Count;
        }

        return FromCsr(offsets, targets.ToArray());
    }

    /// <summary>
    /// Creates a graph from CSR arrays after checking them: offsets start at 0, never decrease and end at the
    /// number of targets; every target is a valid vertex other than its source; every edge appears in both
    /// directions, once. The arrays are copied and each row is sorted.
    /// </summary>
    /// <exception cref="ArgumentException">The arrays are not a valid undirected CSR graph; the message names the first offending entry.</exception>
    public static NeighborGraph FromCsr(ReadOnlySpan<int> offsets, ReadOnlySpan<int> targets)
    {
        if (offsets.Length == 0)
        {
            throw new ArgumentException("Offsets need at least one entry (VertexCount + 1).", nameof(offsets));
        }

        int n = offsets.Length - 1;
        if (offsets[0] != 0 || offsets[n] != targets.Length)
        {
            throw new ArgumentException($"Offsets must start at 0 and end at the number of targets ({targets.Length}); got {offsets[0]} and {offsets[n]}.", nameof(offsets));
        }

        int[] o = offsets.ToArray();
        int[] t = targets.ToArray();
        int maxDegree = 0;
        for (int v = 0; v < n; v++)
        {
            if (o[v + 1] < o[v])
            {
                throw new ArgumentException($"Offsets decrease at vertex {v} ({o[v]} then {o[v + 1]}).", nameof(offsets));
            }

            Span<int> row = t.AsSpan(o[v], o[v + 1] - o[v]);
            row.Sort();
            maxDegree = Math.Max(maxDegree, row.Length);
            for (int e = 0; e < row.Length; e++)
            {
                int u = row[e];
                if ((uint)u >= (uint)n)
                {
                    throw new ArgumentException($"Vertex {v} has neighbour {u}, outside [0, {n}).", nameof(targets));
                }

                if (u == v)
                {
                    throw new ArgumentException($"Vertex {v} is listed as its own neighbour.", nameof(targets));
                }

                if (e > 0 && row[e - 1] == u)
                {
                    throw new ArgumentException($"Edge ({v}, {u}) is listed twice.", nameof(targets));
                }
            }
        }

        for (int v = 0; v < n; v++)
        {
            for (int e = o[v]; e < o[v + 1]; e++)
            {
                int u = t[e];
                if (t.AsSpan(o[u], o[u + 1] - o[u]).BinarySearch(v) < 0)
                {
                    throw new ArgumentException($"Edge ({v}, {u}) has no reverse edge ({u}, {v}); the graph must be undirected.", nameof(targets));
                }
            }
        }

        return new NeighborGraph(n, o, t, null, maxDegree);
    }

    /// <summary>
    /// Creates a graph from a list of undirected edges; each edge may be given in either or both directions and
    /// more than once (duplicates are merged).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vertexCount"/> is negative.</exception>
    /// <exception cref="ArgumentException">An edge names a vertex out of range, or joins a vertex to itself.</exception>
    public static NeighborGraph FromEdges(int vertexCount, ReadOnlySpan<(int A, int B)> edges)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vertexCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vertexCount, Array.MaxLength - 1);
        var degree = new int[vertexCount + 1];
        for (int e = 0; e < edges.Length; e++)
        {
            (int a, int b) = edges[e];
            if ((uint)a >= (uint)vertexCount || (uint)b >= (uint)vertexCount)
            {
                throw new ArgumentException($"Edge {e} ({a}, {b}) names a vertex outside [0, {vertexCount}).", nameof(edges));
            }

            if (a == b)
            {
                throw new ArgumentException($"Edge {e} joins vertex {a} to itself.", nameof(edges));
            }

            degree[a + 1]++;
            degree[b + 1]++;
        }

        for (int v = 0; v < vertexCount; v++)
        {
            degree[v + 1] += degree[v];
        }

        var fill = degree.AsSpan(0, vertexCount).ToArray();
        var targets = new int[degree[vertexCount]];
        foreach ((int a, int b) in edges)
        {
            targets[fill[a]++] = b;
            targets[fill[b]++] = a;
        }

        return Compact(vertexCount, degree, targets);
    }

    /// <summary>
    /// Builds from per-vertex rows that may hold duplicates but are already symmetric; sorts and de-duplicates. Rows
    /// are independent, so they are sorted in parallel and then packed; the order a row was filled in does not matter.
    /// </summary>
    internal static NeighborGraph Compact(int vertexCount, int[] offsets, int[] targets)
    {
        var lengths = new int[vertexCount];
        Parallel.For(0, vertexCount, v =>
        {
            Span<int> row = targets.AsSpan(offsets[v], offsets[v + 1] - offsets[v]);
            row.Sort();
            int write = 0;
            for (int e = 0; e < row.Length; e++)
            {
                if (e == 0 || row[e] != row[e - 1])
                {
                    row[write++] = row[e];
                }
            }

            lengths[v] = write;
        });

        var newOffsets = new int[vertexCount + 1];
        int maxDegree = 0;
        for (int v = 0; v < vertexCount; v++)
        {
            newOffsets[v + 1] = newOffsets[v] + lengths[v];
            maxDegree = Math.Max(maxDegree, lengths[v]);
        }

        var packed = new int[newOffsets[vertexCount]];
        Parallel.For(0, vertexCount, v => Array.Copy(targets, offsets[v], packed, newOffsets[v], lengths[v]));
        return new NeighborGraph(vertexCount, newOffsets, packed, null, maxDegree);
    }

    /// <summary>Number of neighbours of <paramref name="vertex"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vertex"/> is out of range.</exception>
    public int GetDegree(int vertex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vertex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(vertex, VertexCount);
        if (Volatile.Read(ref _csr) is null && Grid is not null)
        {
            Span<int> scratch = Grid.Scratch <= 256 ? stackalloc int[Grid.Scratch] : new int[Grid.Scratch];
            return Grid.GetNeighbors(vertex, scratch);
        }

        return Offsets[vertex + 1] - Offsets[vertex];
    }

    /// <summary>
    /// Writes the neighbours of <paramref name="vertex"/> into <paramref name="destination"/> and returns how many
    /// there are. A destination of <see cref="MaxDegree"/> entries is always enough.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vertex"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short for this vertex.</exception>
    public int GetNeighbors(int vertex, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vertex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(vertex, VertexCount);
        if (Volatile.Read(ref _csr) is null && Grid is not null)
        {
            Span<int> all = Grid.Scratch <= 256 ? stackalloc int[Grid.Scratch] : new int[Grid.Scratch];
            int count = Grid.GetNeighbors(vertex, all);
            if (destination.Length < count)
            {
                throw new ArgumentException($"Destination holds {destination.Length} entries; vertex {vertex} has {count} neighbours.", nameof(destination));
            }

            all[..count].CopyTo(destination);
            return count;
        }

        ReadOnlySpan<int> row = Targets[Offsets[vertex]..Offsets[vertex + 1]];
        if (destination.Length < row.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} entries; vertex {vertex} has {row.Length} neighbours.", nameof(destination));
        }

        row.CopyTo(destination);
        return row.Length;
    }

    /// <inheritdoc />
    public override string ToString() => Grid is null
        ? $"Graph: {VertexCount} vertices, {EdgeCount} edges"
        : $"Grid graph {string.Join('×', Grid.Shape.ToArray())} ({Grid.Connectivity}): {VertexCount} vertices, {EdgeCount} edges";

    private static int MaxGridDegree(GridTopology grid)
    {
        // A vertex's degree depends only on whether each index is first, last or inside its axis, so trying
        // those (at most 3^k) classes finds the exact maximum. Past 8 axes the stencil size is a safe bound.
        int k = grid.Dimension;
        if (k > 8)
        {
            return grid.StencilSize;
        }

        Span<int> scratch = grid.Scratch <= 256 ? stackalloc int[grid.Scratch] : new int[grid.Scratch];
        Span<int> index = stackalloc int[k];
        int classes = 1;
        for (int d = 0; d < k; d++)
        {
            classes *= 3;
        }

        int best = 0;
        for (int code = 0; code < classes; code++)
        {
            int rest = code;
            int flat = 0;
            for (int d = 0; d < k; d++)
            {
                int last = grid.Shape[d] - 1;
                index[d] = (rest % 3) switch { 0 => 0, 1 => Math.Min(1, last), _ => last };
                rest /= 3;
                flat = (flat * grid.Shape[d]) + index[d];
            }

            best = Math.Max(best, grid.NeighborsOf(flat, index, scratch));
        }

        return best;
    }

    /// <summary>The CSR arrays; for an implicit grid built on first use, once, whichever thread gets here first.</summary>
    private Csr Materialize() => LazyInitializer.EnsureInitialized(ref _csr, BuildGridCsr);

    private Csr BuildGridCsr()
    {
        GridTopology grid = Grid!;
        long entries = 2 * grid.EdgeCount;
        if (entries > Array.MaxLength)
        {
            throw new InvalidOperationException($"The grid's adjacency has {entries} entries, more than a CSR array can hold; use the implicit grid through MergeTreeBuilder instead.");
        }

        var offsets = new int[VertexCount + 1];
        var targets = new int[entries];
        Span<int> index = stackalloc int[grid.Dimension];
        Span<int> row = grid.Scratch <= 256 ? stackalloc int[grid.Scratch] : new int[grid.Scratch];
        int write = 0;
        for (int v = 0; v < VertexCount; v++)
        {
            grid.Decompose(v, index);
            int count = grid.NeighborsOf(v, index, row);
            row[..count].Sort();
            row[..count].CopyTo(targets.AsSpan(write));
            write += count;
            offsets[v + 1] = write;
        }

        return new Csr(offsets, targets);
    }

    private sealed record Csr(int[] Offsets, int[] Targets);
}
