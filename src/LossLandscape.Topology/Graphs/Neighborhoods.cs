using System.Runtime.Intrinsics.X86;
using System.Runtime.CompilerServices;

namespace LossLandscape.Topology.Graphs;

/// <summary>
/// How a sweep enumerates the neighbours of a vertex. Implemented by structs so that the sweep loop is
/// specialised (and the enumeration inlined) for each graph representation.
/// </summary>
internal interface ISweepNeighborhood
{
    /// <summary>Writes the neighbours of <paramref name="vertex"/> into <paramref name="destination"/>; returns the count.</summary>
    int Fill(int vertex, Span<int> destination);

    /// <summary>Hints the processor to load the per-vertex entries of <paramref name="vertex"/>'s neighbours.</summary>
    unsafe void Prefetch(int* perVertex, int vertex);

    /// <summary>An earlier hint for <paramref name="vertex"/>: whatever <see cref="Prefetch"/> will need to read.</summary>
    void PrefetchEarly(int vertex);

    /// <summary>The earliest hint for <paramref name="vertex"/>: whatever <see cref="PrefetchEarly"/> will need to read.</summary>
    void PrefetchEarliest(int vertex);

    /// <summary>
    /// Whether <see cref="Fill"/> is cheap enough to call once more a few steps ahead, so that the sweep can hint the
    /// loads two levels further: the neighbours' parents or components, then the components' open arcs. A constant per
    /// implementation.
    /// </summary>
    bool PrefetchesParents { get; }
}

/// <summary>Neighbours from explicit CSR arrays.</summary>
internal readonly struct CsrNeighborhood(int[] offsets, int[] targets) : ISweepNeighborhood
{
    /// <inheritdoc />
    public bool PrefetchesParents => true; // a row copy: the tiled build's reduced sweep, whose lookups miss the caches

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Fill(int vertex, Span<int> destination)
    {
        int start = offsets[vertex];
        int count = offsets[vertex + 1] - start;
        targets.AsSpan(start, count).CopyTo(destination);
        return count;
    }

    public unsafe void Prefetch(int* perVertex, int vertex)
    {
        // The row was fetched early (PrefetchEarly), so reading it here is cheap; the neighbours' entries are
        // scattered over the whole array and each one is worth fetching ahead.
        if (Sse.IsSupported)
        {
            int start = offsets[vertex];
            int end = offsets[vertex + 1];
            for (int e = start; e < end; e++)
            {
                Sse.Prefetch0(perVertex + targets[e]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void PrefetchEarly(int vertex)
    {
        // The row start was fetched earliest (PrefetchEarliest), so reading it here does not stall.
        if (Sse.IsSupported)
        {
            fixed (int* t = targets)
            {
                Sse.Prefetch0(t + offsets[vertex]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void PrefetchEarliest(int vertex)
    {
        if (Sse.IsSupported)
        {
            fixed (int* o = offsets)
            {
                Sse.Prefetch0(o + vertex);
            }
        }
    }
}

/// <summary>
/// Neighbours on a 2-D grid: interior vertices take the whole stencil without bounds checks, which is the case
/// for all but a vanishing fraction of the vertices of a large grid.
/// </summary>
internal readonly struct Grid2DNeighborhood : ISweepNeighborhood
{
    /// <inheritdoc />
    public bool PrefetchesParents => false;

    private readonly int _rows;
    private readonly int _columns;
    private readonly int[] _rowDeltas;
    private readonly int[] _columnDeltas;
    private readonly int[] _flatOffsets;

    public Grid2DNeighborhood(GridTopology grid)
    {
        _rows = grid.Shape[0];
        _columns = grid.Shape[1];
        int size = grid.StencilSize;
        _rowDeltas = new int[size];
        _columnDeltas = new int[size];
        for (int s = 0; s < size; s++)
        {
            _rowDeltas[s] = grid.StencilDeltas(s)[0];
            _columnDeltas[s] = grid.StencilDeltas(s)[1];
        }

        _flatOffsets = grid.FlatOffsets.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Fill(int vertex, Span<int> destination)
    {
        int i = vertex / _columns;
        int j = vertex - (i * _columns);
        int[] offsets = _flatOffsets;
        if ((uint)(i - 1) < (uint)(_rows - 2) && (uint)(j - 1) < (uint)(_columns - 2))
        {
            for (int s = 0; s < offsets.Length; s++)
            {
                destination[s] = vertex + offsets[s];
            }

            return offsets.Length;
        }

        int count = 0;
        for (int s = 0; s < offsets.Length; s++)
        {
            if ((uint)(i + _rowDeltas[s]) < (uint)_rows && (uint)(j + _columnDeltas[s]) < (uint)_columns)
            {
                destination[count++] = vertex + offsets[s];
            }
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(int* perVertex, int vertex)
    {
        if (Sse.IsSupported)
        {
            // The rows above and below, and the vertex's own row; a pointer past either end is never read
            // (prefetches do not fault), so boundary vertices need no special case.
            Sse.Prefetch0(perVertex + vertex - _columns);
            Sse.Prefetch0(perVertex + vertex);
            Sse.Prefetch0(perVertex + vertex + _columns);
        }
    }

    public void PrefetchEarly(int vertex)
    {
    }

    public void PrefetchEarliest(int vertex)
    {
    }
}

/// <summary>Neighbours on a grid of any dimension.</summary>
internal readonly struct GridNeighborhood(GridTopology grid) : ISweepNeighborhood
{
    /// <inheritdoc />
    public bool PrefetchesParents => false;

    public int Fill(int vertex, Span<int> destination)
    {
        Span<int> index = stackalloc int[grid.Dimension];
        grid.Decompose(vertex, index);
        return grid.NeighborsOf(vertex, index, destination);
    }

    public unsafe void Prefetch(int* perVertex, int vertex)
    {
        if (Sse.IsSupported)
        {
            foreach (int offset in grid.FlatOffsets)
            {
                Sse.Prefetch0(perVertex + vertex + offset);
            }
        }
    }

    public void PrefetchEarly(int vertex)
    {
    }

    public void PrefetchEarliest(int vertex)
    {
    }
}

/// <summary>A caller's <see cref="INeighborhood"/> in the sweep, every neighbour index checked (the sweep indexes raw memory).</summary>
internal readonly struct CheckedNeighborhood<T>(T inner) : ISweepNeighborhood
    where T : INeighborhood
{
    /// <inheritdoc />
    public bool PrefetchesParents => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Fill(int vertex, Span<int> destination)
    {
        int count = inner.GetNeighbors(vertex, destination);
        if ((uint)count > (uint)destination.Length)
        {
            throw new InvalidOperationException($"The neighbourhood gave vertex {vertex} {count} neighbours; its MaxDegree is {destination.Length}.");
        }

        int n = inner.VertexCount;
        for (int i = 0; i < count; i++)
        {
            int u = destination[i];
            if ((uint)u >= (uint)n || u == vertex)
            {
                throw new InvalidOperationException($"The neighbourhood lists {u} as a neighbour of vertex {vertex}; neighbours must be other vertices in [0, {n}).");
            }
        }

        return count;
    }

    public unsafe void Prefetch(int* perVertex, int vertex)
    {
    }

    public void PrefetchEarly(int vertex)
    {
    }

    public void PrefetchEarliest(int vertex)
    {
    }
}
