using System.Buffers;
using System.Numerics;
using LossLandscape.Topology.Ordering;

namespace LossLandscape.Topology.MergeTrees;

/// <summary>
/// One tile of a 2-D grid swept on its own (the first phase of <see cref="TiledJoin"/>): its vertices sorted on
/// (value, index) and swept upward inside the tile, so the union-find and the keys stay in the core's caches.
/// </summary>
/// <remarks>
/// The sweep keeps, of the tile's vertices, only those whose fate the tile cannot decide on its own: local minima,
/// vertices where two or more local components meet, and vertices on a side that faces another tile. These are the
/// <em>kept</em> vertices, numbered by ordinal in their (value, index) order. Each kept vertex links to the last kept
/// vertex of every local component it touches (its <em>representatives</em>), so the kept vertices with these links
/// have the same sublevel-set components as the tile. Every other vertex joins exactly one local component and is
/// regular in the whole grid too; the tile records it with the representative of that component, which tells the
/// second phase on which arc of the finished tree it lies.
/// </remarks>
internal sealed class GridTile
{
    private readonly Store _store;
    private readonly int _region;

    private GridTile(Store store, int region, int row0, int column0, int rows, int columns)
    {
        _store = store;
        _region = region;
        Row0 = row0;
        Column0 = column0;
        Rows = rows;
        Columns = columns;
    }

    public int Row0 { get; }

    public int Column0 { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Kept vertices (grid indices) in (value, index) order.</summary>
    public ReadOnlySpan<int> Kept => _store.Kept.AsSpan(_region, KeptCount);

    /// <summary>The keys of <see cref="Kept"/>.</summary>
    public ReadOnlySpan<ulong> KeptKeys => _store.KeptKeys.AsSpan(_region, KeptCount);

    /// <summary>Per ordinal, where its representatives start in <see cref="LinkTargets"/> (one more entry than kept vertices).</summary>
    public int[] LinkStart { get; private set; } = [];

    /// <summary>Representatives, as ordinals of earlier kept vertices.</summary>
    public int[] LinkTargets { get; private set; } = [];

    /// <summary>Vertices that are regular inside the tile, in (value, index) order.</summary>
    public ReadOnlySpan<int> Attached => _store.Attached.AsSpan(_region, AttachedCount);

    /// <summary>The keys of <see cref="Attached"/>.</summary>
    public ReadOnlySpan<ulong> AttachedKeys => _store.AttachedKeys.AsSpan(_region, AttachedCount);

    /// <summary>Per entry of <see cref="Attached"/>, the ordinal of the kept vertex that represented its component.</summary>
    public ReadOnlySpan<int> AttachedTo => _store.AttachedTo.AsSpan(_region, AttachedCount);

    /// <summary>How many vertices the tile keeps.</summary>
    public int KeptCount { get; private set; }

    /// <summary>How many vertices are regular inside the tile.</summary>
    public int AttachedCount { get; private set; }

    /// <summary>Per place on the tile's rim (top row, bottom row, left column, right column), the ordinal of the kept vertex there.</summary>
    public int[] RimOrdinal { get; private set; } = [];

    /// <summary>Per ordinal, its index in the reduced graph (set by the second phase).</summary>
    public int[] ReducedIndex { get; set; } = [];

    /// <summary>The ordinal of the kept vertex at tile coordinates (i, j) on the tile's rim.</summary>
    public int OrdinalOnRim(int i, int j)
        => i == 0 ? RimOrdinal[j]
        : i == Rows - 1 ? RimOrdinal[Columns + j]
        : j == 0 ? RimOrdinal[(2 * Columns) + i]
        : RimOrdinal[(2 * Columns) + Rows + i];

    /// <summary>Sweeps one tile of the grid.</summary>
    /// <param name="store">Where the tile writes its kept and regular vertices.</param>
    /// <param name="region">The tile's first entry in <paramref name="store"/>: the tiles' regions are as large as the tiles and do not overlap.</param>
    /// <param name="keys">The grid's sortable keys, row-major.</param>
    /// <param name="gridRows">The grid's rows.</param>
    /// <param name="gridColumns">The grid's columns.</param>
    /// <param name="row0">The tile's first row.</param>
    /// <param name="column0">The tile's first column.</param>
    /// <param name="rows">The tile's rows.</param>
    /// <param name="columns">The tile's columns.</param>
    /// <param name="rowDeltas">The stencil's row offsets (each in −1 … 1).</param>
    /// <param name="columnDeltas">The stencil's column offsets (each in −1 … 1).</param>
    public static GridTile Sweep(
        Store store, int region, ulong[] keys, int gridRows, int gridColumns, int row0, int column0, int rows, int columns,
        int[] rowDeltas, int[] columnDeltas)
    {
        var tile = new GridTile(store, region, row0, column0, rows, columns);
        int size = rows * columns;

        // The union-find lives on the tile with a one-vertex halo that is never visited, so neighbours need no bounds
        // checks; a power-of-two row stride turns a padded index into (row, column) without a division.
        int shift = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)columns + 2));
        int stride = 1 << shift;
        int padded = (rows + 2) * stride;
        ulong[] localKeys = ArrayPool<ulong>.Shared.Rent(size);
        ulong[] keyScratch = ArrayPool<ulong>.Shared.Rent(size);
        int[] order = ArrayPool<int>.Shared.Rent(size);
        int[] orderScratch = ArrayPool<int>.Shared.Rent(size);
        int[] state = ArrayPool<int>.Shared.Rent(padded);
        int[] componentSize = ArrayPool<int>.Shared.Rent(padded);
        int[] linkStart = ArrayPool<int>.Shared.Rent(size + 1);
        Span<int> kept = store.Kept.AsSpan(region, size);
        Span<ulong> keptKeys = store.KeptKeys.AsSpan(region, size);
        Span<int> attached = store.Attached.AsSpan(region, size);
        Span<ulong> attachedKeys = store.AttachedKeys.AsSpan(region, size);
        Span<int> attachedTo = store.AttachedTo.AsSpan(region, size);
        try
        {
            for (int i = 0; i < rows; i++)
            {
                keys.AsSpan(((row0 + i) * gridColumns) + column0, columns).CopyTo(localKeys.AsSpan(i * columns, columns));
                for (int j = 0; j < columns; j++)
                {
                    order[(i * columns) + j] = ((i + 1) << shift) + j + 1;
                }
            }

            // The padded indices run row by row, in the grid's index order, so the stable sort breaks ties by grid index.
            RadixArgsort.SortCarrying(localKeys.AsSpan(0, size), keyScratch.AsSpan(0, size), order.AsSpan(0, size), orderScratch.AsSpan(0, size));
            bool up = row0 > 0, down = row0 + rows < gridRows, left = column0 > 0, right = column0 + columns < gridColumns;
            int stencil = rowDeltas.Length;
            Span<int> offsets = stackalloc int[stencil];
            for (int s = 0; s < stencil; s++)
            {
                offsets[s] = (rowDeltas[s] << shift) + columnDeltas[s];
            }

            var links = new StructList<int>(size / 2);
            var rim = new int[(2 * columns) + (2 * rows)];
            Span<int> roots = stackalloc int[stencil];

            // state: −1 unvisited (the halo always), ≥ 0 the parent, −(ordinal + 2) for a root: its component's representative.
            state.AsSpan(0, padded).Fill(-1);
            int keptCount = 0, attachedCount = 0;
            linkStart[0] = 0;
            int lastRow = rows - 1, lastColumn = columns - 1, mask = stride - 1;
            for (int r = 0; r < size; r++)
            {
                int v = order[r];
                // Which neighbours are visited, without a branch per neighbour: on random values each of those
                // branches goes either way half the time, and mispredictions cost more than the rest of the visit.
                uint visited = 0;
                for (int s = 0; s < offsets.Length; s++)
                {
                    visited |= (state[v + offsets[s]] != -1 ? 1u : 0u) << s;
                }

                int rootCount = 0;
                while (visited != 0)
                {
                    int s = BitOperations.TrailingZeroCount(visited);
                    visited &= visited - 1;
                    int root = JoinSweep.Find(state, v + offsets[s]);
                    int e = 0;
                    while (e < rootCount && roots[e] != root)
                    {
                        e++;
                    }

                    if (e == rootCount)
                    {
                        roots[rootCount++] = root;
                    }
                }

                int i = (v >> shift) - 1, j = (v & mask) - 1;
                bool onFacingSide = (up && i == 0) || (down && i == lastRow) || (left && j == 0) || (right && j == lastColumn);
                int vertex = ((row0 + i) * gridColumns) + column0 + j;
                if (rootCount == 1 && !onFacingSide)
                {
                    state[v] = roots[0];
                    componentSize[roots[0]]++;
                    attached[attachedCount] = vertex;
                    attachedKeys[attachedCount] = localKeys[r];
                    attachedTo[attachedCount++] = -state[roots[0]] - 2;
                    continue;
                }

                int ordinal = keptCount++;
                kept[ordinal] = vertex;
                keptKeys[ordinal] = localKeys[r];

                // Union by size under the largest root, so roots (and the paths to them) stay put as components grow;
                // the root's entry then names the new representative.
                int largest = v;
                componentSize[v] = 1;
                for (int e = 0; e < rootCount; e++)
                {
                    links.Add(-state[roots[e]] - 2);
                    if (largest == v || componentSize[roots[e]] > componentSize[largest])
                    {
                        largest = roots[e];
                    }
                }

                for (int e = 0; e < rootCount; e++)
                {
                    if (roots[e] != largest)
                    {
                        state[roots[e]] = largest;
                        componentSize[largest] += componentSize[roots[e]];
                    }
                }

                if (largest != v)
                {
                    state[v] = largest;
                    componentSize[largest]++;
                }

                linkStart[ordinal + 1] = links.Count;
                state[largest] = -(ordinal + 2);
                if (i == 0)
                {
                    rim[j] = ordinal;
                }

                if (i == lastRow)
                {
                    rim[columns + j] = ordinal;
                }

                if (j == 0)
                {
                    rim[(2 * columns) + i] = ordinal;
                }

                if (j == lastColumn)
                {
                    rim[(2 * columns) + rows + i] = ordinal;
                }
            }

            tile.KeptCount = keptCount;
            tile.AttachedCount = attachedCount;
            tile.LinkStart = linkStart.AsSpan(0, keptCount + 1).ToArray();
            tile.LinkTargets = links.AsSpan().ToArray();
            tile.RimOrdinal = rim;
            return tile;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(localKeys);
            ArrayPool<ulong>.Shared.Return(keyScratch);
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<int>.Shared.Return(orderScratch);
            ArrayPool<int>.Shared.Return(state);
            ArrayPool<int>.Shared.Return(componentSize);
            ArrayPool<int>.Shared.Return(linkStart);
        }
    }

    /// <summary>
    /// The kept and regular vertices of all tiles, each tile in its own region (as large as the tile): written in place
    /// by the sweeps instead of gathered from per-tile lists, and never cleared first (a tile writes what it reads).
    /// </summary>
    internal sealed class Store(int vertexCount)
    {
        public int[] Kept { get; } = GC.AllocateUninitializedArray<int>(vertexCount);

        public ulong[] KeptKeys { get; } = GC.AllocateUninitializedArray<ulong>(vertexCount);

        public int[] Attached { get; } = GC.AllocateUninitializedArray<int>(vertexCount);

        public ulong[] AttachedKeys { get; } = GC.AllocateUninitializedArray<ulong>(vertexCount);

        public int[] AttachedTo { get; } = GC.AllocateUninitializedArray<int>(vertexCount);
    }
}
