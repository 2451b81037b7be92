using System.Buffers;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Ordering;

namespace LossLandscape.Topology.MergeTrees;

/// <summary>
/// The merge tree of a large 2-D grid, built tile by tile on several cores and joined along the tiles' borders; the
/// result is the tree the sequential sweep builds, node for node and count for count, whatever the thread count.
/// </summary>
/// <remarks>
/// <para>
/// The sequential sweep visits the vertices in global (value, index) order, which jumps across the whole grid: on a
/// 2048² grid nearly every visit misses the caches. Here each tile (256 × 256 by default) is sorted and swept on its
/// own (<see cref="GridTile"/>), in parallel and inside the caches. A tile decides everything about its regular
/// vertices; what it cannot decide (its local minima, the vertices where local components meet and the vertices on
/// sides that face other tiles) it keeps, linked to the components they touch.
/// </para>
/// <para>
/// The kept vertices of all tiles, merged into global (value, index) order, form a reduced graph: the tiles' links plus
/// the grid edges between tiles. Two kept vertices are connected below a value in the reduced graph exactly when they
/// are in the grid (a grid path splits into pieces inside tiles, whose ends are kept and linked, and edges between
/// tiles, whose ends are on facing sides), and every vertex has the same components below it. So the ordinary sweep of
/// the reduced graph creates the same nodes in the same order, with the same elder-rule choices. The vertices the tiles
/// decided are then counted on their arcs: each lies on the arc, going up from its representative, that spans its value.
/// </para>
/// <para>
/// Tiles depend only on the grid's shape and the tile size, and every step after the tiles is sequential, so the
/// thread count changes only the time. Similar in spirit to TTK's parallel merge trees (FTM, ExTreeM): local sweeps,
/// then a join of what the borders leave open.
/// </para>
/// </remarks>
internal static class TiledJoin
{
    /// <summary>The tile side: 256 × 254 vertices keep a tile's union-find (256 KB with its halo) in a core's L2 cache.</summary>
    public const int DefaultTileSide = 256;

    /// <summary>Called with each phase's name as it ends (the benchmarks' <c>-- stages</c> times them); null otherwise.</summary>
    internal static Action<string>? PhaseEnded { get; set; }

    /// <summary>
    /// Columns per tile for tiles of <paramref name="side"/> rows: two fewer, so that a row with its two halo entries
    /// (<see cref="GridTile"/>) spans a power of two when the side is one.
    /// </summary>
    public static int ColumnsFor(int side) => Math.Max(1, side - 2);

    /// <summary>Whether the grid can be tiled: 2-D, more than one vertex, a stencil that reaches only the 8 nearest vertices.</summary>
    public static bool Applies(GridTopology grid)
    {
        if (grid.Dimension != 2 || grid.VertexCount < 2)
        {
            return false;
        }

        for (int s = 0; s < grid.StencilSize; s++)
        {
            ReadOnlySpan<int> delta = grid.StencilDeltas(s);
            if (Math.Abs(delta[0]) > 1 || Math.Abs(delta[1]) > 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <param name="grid">A grid for which <see cref="Applies"/> holds.</param>
    /// <param name="values">The values, for the tree's node values.</param>
    /// <param name="keys">The sortable keys of the values (at least one per vertex).</param>
    /// <param name="tileRows">Rows per tile.</param>
    /// <param name="tileColumns">Columns per tile.</param>
    /// <param name="threads">
    /// Threads, possibly still being measured: the calling thread starts on the tiles at once and the others join it
    /// when the count is known.
    /// </param>
    /// <param name="nanIsInfinity">Whether NaN reads as +∞.</param>
    /// <param name="landscape">The landscape, when known.</param>
    public static MergeTree Build(
        GridTopology grid, ReadOnlySpan<double> values, ulong[] keys, int tileRows, int tileColumns, Task<int> threads,
        bool nanIsInfinity, Landscape? landscape)
    {
        int rows = grid.Shape[0], columns = grid.Shape[1];
        int stencil = grid.StencilSize;
        var rowDeltas = new int[stencil];
        var columnDeltas = new int[stencil];
        for (int s = 0; s < stencil; s++)
        {
            rowDeltas[s] = grid.StencilDeltas(s)[0];
            columnDeltas[s] = grid.StencilDeltas(s)[1];
        }

        int tilesDown = (rows + tileRows - 1) / tileRows;
        int tilesAcross = (columns + tileColumns - 1) / tileColumns;
        var tiles = new GridTile[tilesDown * tilesAcross];
        var store = new GridTile.Store(rows * columns);
        SweepTiles(tiles, threads, t =>
        {
            // Tiles are numbered row by row, so the tiles before tile t are the full bands above it and the tiles to its left.
            int band = t / tilesAcross, row0 = band * tileRows, column0 = t % tilesAcross * tileColumns;
            int tileHeight = Math.Min(tileRows, rows - row0);
            return GridTile.Sweep(
                store, (row0 * columns) + (column0 * tileHeight), keys, rows, columns, row0, column0, tileHeight,
                Math.Min(tileColumns, columns - column0), rowDeltas, columnDeltas);
        });

        // The later phases use the measured count if it is known by now (it is on a grid large enough to tile), else one.
        int threadCount = threads.IsCompletedSuccessfully ? threads.Result : 1;
        PhaseEnded?.Invoke("tiles");
        (int[] reducedVertex, ulong[] reducedKey, int[] reducedTile, int[] reducedOrdinal) = MergeKept(tiles, threadCount);
        int m = reducedVertex.Length;
        PhaseEnded?.Invoke("merge");
        (int[] offsets, int[] targets) = ReducedGraph(tiles, reducedVertex, reducedTile, reducedOrdinal, keys, rows, columns, tileRows, tileColumns, tilesAcross, rowDeltas, columnDeltas, threadCount);

        PhaseEnded?.Invoke("reduced graph");
        // The reduced sweep runs on one core: the values' finite range is found on another meanwhile.
        Task<(double, double)?> finiteRange = Task.Run(() => FiniteRangeOfKeys(keys, rows * columns));
        int[] state = ArrayPool<int>.Shared.Rent(m);
        int[] order = ArrayPool<int>.Shared.Rent(m);
        try
        {
            for (int r = 0; r < m; r++)
            {
                order[r] = r; // reduced vertices are numbered in sweep order
            }

            var record = new SweepRecord(reducedKey, reducedVertex);
            var sweep = new JoinSweep(state, m, expectedMinima: Math.Max(4, m / 2));
            sweep.Record(record);
            sweep.Run(order.AsSpan(0, m), new CsrNeighborhood(offsets, targets), 2 * stencil);
            sweep.RenameVertices(reducedVertex);

            PhaseEnded?.Invoke("reduced sweep");
            var chains = new BranchChains(sweep, record);
            PhaseEnded?.Invoke("chains");
            int[] extra = CountAttached(tiles, record, chains, threadCount);
            sweep.AddRegularVertices(extra);
            PhaseEnded?.Invoke("counts");
            MergeTree tree = sweep.FinishConnected(Top(tiles, keys), values.Length, values, nanIsInfinity, landscape, finiteRange.Result);
            PhaseEnded?.Invoke("finish");
            return tree;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(state);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>
    /// Sweeps every tile, each exactly once, on the calling thread and on as many more as <paramref name="threads"/>
    /// says once it is known; returns when every tile is done. Tiles are claimed one at a time, so which thread sweeps
    /// which tile changes only the time.
    /// </summary>
    private static void SweepTiles(GridTile[] tiles, Task<int> threads, Func<int, GridTile> sweep)
    {
        int next = -1;
        using var done = new CountdownEvent(tiles.Length);
        Exception? failure = null;
        void Work()
        {
            for (int t; (t = Interlocked.Increment(ref next)) < tiles.Length;)
            {
                try
                {
                    tiles[t] = sweep(t);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
                finally
                {
                    done.Signal();
                }
            }
        }

        // Helpers that start after the last tile was claimed find nothing to do and end; none touches a tile after
        // the countdown reaches zero.
        _ = threads.ContinueWith(
            count =>
            {
                for (int h = 1; h < Math.Min(count.IsCompletedSuccessfully ? count.Result : 1, tiles.Length); h++)
                {
                    Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                }
            },
            TaskScheduler.Default);
        Work();
        done.Wait();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>(value, index) order of two vertices: whether <paramref name="a"/> comes before <paramref name="b"/>.</summary>
    private static bool Before(ulong[] keys, int a, int b) => keys[a] < keys[b] || (keys[a] == keys[b] && a < b);

    /// <summary>
    /// Merges the tiles' kept vertices (each tile's already in order) into one (value, index) order; sets each tile's
    /// reduced indices. The order is cut into one slice per thread at splitters drawn from the tiles' lists, and each
    /// slice is merged on its own into its place: the result is the same for every thread count.
    /// </summary>
    private static (int[] Vertex, ulong[] Key, int[] Tile, int[] Ordinal) MergeKept(GridTile[] tiles, int threads)
    {
        int m = 0;
        foreach (GridTile tile in tiles)
        {
            tile.ReducedIndex = new int[tile.KeptCount];
            m += tile.KeptCount;
        }

        var merged = new MergedKept(new int[m], new ulong[m], new int[m], new int[m]);
        int slices = Math.Max(1, Math.Min(threads, m / (1 << 14)));
        int[][] cuts = SliceCuts(tiles, slices);
        var starts = new int[slices + 1];
        for (int p = 1; p <= slices; p++)
        {
            for (int t = 0; t < tiles.Length; t++)
            {
                starts[p] += cuts[p][t];
            }
        }

        Parallel.For(0, slices, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
            MergeSlice(tiles, cuts[p], cuts[p + 1], starts[p], merged));
        return (merged.Vertex, merged.Key, merged.Tile, merged.Ordinal);
    }

    /// <summary>The merged kept vertices: per reduced index, the grid vertex, its key, its tile and its ordinal there.</summary>
    private readonly record struct MergedKept(int[] Vertex, ulong[] Key, int[] Tile, int[] Ordinal);

    /// <summary>
    /// Per slice boundary b (0 … <paramref name="slices"/>), per tile, how many of its kept vertices come before the
    /// boundary: boundary 0 is the start, the last one the end, the others the tiles' positions of splitters chosen
    /// as quantiles of a sample of every tile's kept vertices.
    /// </summary>
    private static int[][] SliceCuts(GridTile[] tiles, int slices)
    {
        var cuts = new int[slices + 1][];
        cuts[0] = new int[tiles.Length];
        cuts[slices] = tiles.Select(t => t.KeptCount).ToArray();
        if (slices == 1)
        {
            return cuts;
        }

        // Every 64th kept vertex of every tile: the sample's quantiles cut the whole order into nearly equal slices.
        var sample = new List<(ulong Key, int Vertex)>();
        foreach (GridTile tile in tiles)
        {
            for (int k = 0; k < tile.KeptCount; k += 64)
            {
                sample.Add((tile.KeptKeys[k], tile.Kept[k]));
            }
        }

        sample.Sort();
        for (int b = 1; b < slices; b++)
        {
            (ulong key, int vertex) = sample[(int)((long)sample.Count * b / slices)];
            cuts[b] = new int[tiles.Length];
            for (int t = 0; t < tiles.Length; t++)
            {
                cuts[b][t] = LowerBound(tiles[t], key, vertex);
            }
        }

        return cuts;
    }

    /// <summary>How many of the tile's kept vertices come before (key, vertex) in (value, index) order.</summary>
    private static int LowerBound(GridTile tile, ulong key, int vertex)
    {
        int low = 0, high = tile.KeptCount;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            ulong k = tile.KeptKeys[mid];
            if (k < key || (k == key && tile.Kept[mid] < vertex))
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>Merges the tiles' kept vertices from ordinals <paramref name="from"/> up to <paramref name="to"/> (per tile) into place from <paramref name="start"/>.</summary>
    private static void MergeSlice(GridTile[] tiles, int[] from, int[] to, int start, MergedKept merged)
    {
        var next = (int[])from.Clone();
        var headKey = new ulong[tiles.Length];
        var headVertex = new int[tiles.Length];

        // A binary heap of tiles keyed by their next kept vertex (its key and index kept beside the heap).
        var heap = new int[tiles.Length];
        int heapSize = 0;
        for (int t = 0; t < tiles.Length; t++)
        {
            if (next[t] < to[t])
            {
                headKey[t] = tiles[t].KeptKeys[next[t]];
                headVertex[t] = tiles[t].Kept[next[t]];
                heap[heapSize++] = t;
                SiftUp(heapSize - 1);
            }
        }

        for (int r = start; heapSize > 0; r++)
        {
            int t = heap[0];
            GridTile tile = tiles[t];
            int k = next[t]++;
            merged.Vertex[r] = headVertex[t];
            merged.Key[r] = headKey[t];
            merged.Tile[r] = t;
            merged.Ordinal[r] = k;
            tile.ReducedIndex[k] = r;
            if (k + 1 == to[t])
            {
                heap[0] = heap[--heapSize];
            }
            else
            {
                headKey[t] = tile.KeptKeys[k + 1];
                headVertex[t] = tile.Kept[k + 1];
            }

            SiftDown(0);
        }

        bool Less(int a, int b) => headKey[a] < headKey[b] || (headKey[a] == headKey[b] && headVertex[a] < headVertex[b]);

        void SiftUp(int i)
        {
            while (i > 0 && Less(heap[i], heap[(i - 1) / 2]))
            {
                (heap[i], heap[(i - 1) / 2]) = (heap[(i - 1) / 2], heap[i]);
                i = (i - 1) / 2;
            }
        }

        void SiftDown(int i)
        {
            while (true)
            {
                int smallest = i, l = (2 * i) + 1, rr = l + 1;
                if (l < heapSize && Less(heap[l], heap[smallest]))
                {
                    smallest = l;
                }

                if (rr < heapSize && Less(heap[rr], heap[smallest]))
                {
                    smallest = rr;
                }

                if (smallest == i)
                {
                    return;
                }

                (heap[i], heap[smallest]) = (heap[smallest], heap[i]);
                i = smallest;
            }
        }
    }

    /// <summary>
    /// The reduced graph as lower neighbours only (the sweep skips the others anyway), in CSR form over reduced indices:
    /// each kept vertex's representatives, and its grid neighbours in other tiles that come before it.
    /// </summary>
    private static (int[] Offsets, int[] Targets) ReducedGraph(
        GridTile[] tiles, int[] reducedVertex, int[] reducedTile, int[] reducedOrdinal, ulong[] keys, int rows, int columns,
        int tileRows, int tileColumns, int tilesAcross, int[] rowDeltas, int[] columnDeltas, int threads)
    {
        // Built in blocks of reduced vertices on several threads, each into its own list, then joined in order.
        int m = reducedVertex.Length;
        const int Block = 1 << 16;
        int blocks = (m + Block - 1) / Block;
        var offsets = new int[m + 1];
        var blockTargets = new int[blocks][];
        var blockCounts = new int[blocks];
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            var targets = new StructList<int>(2 * Block);
            for (int r = b * Block, end = Math.Min(m, (b + 1) * Block); r < end; r++)
            {
                GridTile tile = tiles[reducedTile[r]];
                int k = reducedOrdinal[r];
                for (int e = tile.LinkStart[k]; e < tile.LinkStart[k + 1]; e++)
                {
                    targets.Add(tile.ReducedIndex[tile.LinkTargets[e]]);
                }

                int g = reducedVertex[r];
                int gi = g / columns, gj = g - (gi * columns);
                int i = gi - tile.Row0, j = gj - tile.Column0;
                if (i == 0 || j == 0 || i == tile.Rows - 1 || j == tile.Columns - 1)
                {
                    for (int s = 0; s < rowDeltas.Length; s++)
                    {
                        int ni = gi + rowDeltas[s], nj = gj + columnDeltas[s];
                        int li = ni - tile.Row0, lj = nj - tile.Column0;
                        if ((uint)li < (uint)tile.Rows && (uint)lj < (uint)tile.Columns)
                        {
                            continue; // inside the tile: covered by its links
                        }

                        if ((uint)ni >= (uint)rows || (uint)nj >= (uint)columns)
                        {
                            continue; // off the grid
                        }

                        int n = (ni * columns) + nj;
                        if (!Before(keys, n, g))
                        {
                            continue;
                        }

                        GridTile other = tiles[(ni / tileRows * tilesAcross) + (nj / tileColumns)];
                        targets.Add(other.ReducedIndex[other.OrdinalOnRim(ni - other.Row0, nj - other.Column0)]);
                    }
                }

                offsets[r + 1] = targets.Count; // within the block; shifted below
            }

            blockTargets[b] = targets.Array;
            blockCounts[b] = targets.Count;
        });

        int total = 0;
        for (int b = 0; b < blocks; b++)
        {
            total += blockCounts[b];
        }

        var joined = new int[Math.Max(1, total)];
        int start = 0;
        for (int b = 0; b < blocks; b++)
        {
            blockTargets[b].AsSpan(0, blockCounts[b]).CopyTo(joined.AsSpan(start));
            for (int r = (b * Block) + 1, end = Math.Min(m, (b + 1) * Block); r <= end; r++)
            {
                offsets[r] += start;
            }

            start += blockCounts[b];
        }

        return (offsets, joined);
    }

    /// <summary>
    /// Counts the tiles' regular vertices on their arcs: from its representative's arc, each vertex moves up the
    /// finished tree to the arc that spans its value. A tile's vertices come in order, so each representative's search
    /// resumes where its previous vertex stopped, and the next node up (where it would move on) is kept beside it:
    /// most vertices compare with that alone and add to a count of the tile's own.
    /// </summary>
    private static int[] CountAttached(GridTile[] tiles, SweepRecord record, BranchChains chains, int threads)
    {
        var extra = new int[chains.NodeCount];
        int[] arcOf = record.ArcOf;
        (ulong Key, int Vertex)[] upper = record.Upper;
        Parallel.For(0, tiles.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            GridTile tile = tiles[t];
            int keptCount = tile.KeptCount;
            var arc = new int[keptCount];
            var nextKey = new ulong[keptCount];
            var nextVertex = new int[keptCount]; // −1: the arc is open, nothing above it yet
            var pending = new int[keptCount];
            for (int k = 0; k < keptCount; k++)
            {
                arc[k] = arcOf[tile.ReducedIndex[k]];
                SetNext(k);
            }

            ReadOnlySpan<int> attached = tile.Attached, attachedTo = tile.AttachedTo;
            ReadOnlySpan<ulong> attachedKeys = tile.AttachedKeys;
            for (int x = 0; x < attached.Length; x++)
            {
                int k = attachedTo[x];
                int v = attached[x];
                ulong key = attachedKeys[x];
                int next = nextVertex[k];
                if (next >= 0 && (nextKey[k] < key || (nextKey[k] == key && next < v)))
                {
                    Interlocked.Add(ref extra[arc[k]], pending[k]);
                    pending[k] = 0;
                    arc[k] = chains.ArcSpanning(arc[k], key, v);
                    SetNext(k);
                }

                pending[k]++;
            }

            for (int k = 0; k < keptCount; k++)
            {
                if (pending[k] > 0)
                {
                    Interlocked.Add(ref extra[arc[k]], pending[k]);
                }
            }

            void SetNext(int k) => (nextKey[k], nextVertex[k]) = upper[arc[k]];
        });

        return extra;
    }

    /// <summary>
    /// The smallest and largest finite value, from the keys (NaN read as +∞ has +∞'s key); null when an end is a zero,
    /// whose sign the keys do not keep (−0 and +0 share a key), so that the values decide it.
    /// </summary>
    private static (double, double)? FiniteRangeOfKeys(ulong[] keys, int count)
    {
        ulong negativeInfinity = SortableKeys.FromDouble(double.NegativeInfinity), positiveInfinity = SortableKeys.FromDouble(double.PositiveInfinity);
        ulong lowest = ulong.MaxValue, highest = 0;
        foreach (ulong key in keys.AsSpan(0, count))
        {
            if (key > negativeInfinity && key < positiveInfinity)
            {
                lowest = Math.Min(lowest, key);
                highest = Math.Max(highest, key);
            }
        }

        if (lowest > highest)
        {
            return (double.NaN, double.NaN); // no finite value
        }

        double low = SortableKeys.ToDouble(lowest), high = SortableKeys.ToDouble(highest);
        return low == 0 || high == 0 ? null : (low, high);
    }

    /// <summary>The grid's last vertex in (value, index) order: the top of its one component.</summary>
    private static int Top(GridTile[] tiles, ulong[] keys)
    {
        int top = -1;
        foreach (GridTile tile in tiles)
        {
            foreach (int candidate in (ReadOnlySpan<int>)[tile.KeptCount > 0 ? tile.Kept[^1] : -1, tile.Attached.Length > 0 ? tile.Attached[^1] : -1])
            {
                if (candidate >= 0 && (top < 0 || Before(keys, top, candidate)))
                {
                    top = candidate;
                }
            }
        }

        return top;
    }
}
