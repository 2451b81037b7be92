using System.Runtime.Intrinsics.X86;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Ordering;

namespace LossLandscape.Topology.Persistence;

/// <summary>
/// The top-dimensional pairs of a grid by duality, in one union-find sweep: the complement {f &gt; t} grows as t falls,
/// its components joined by the dual connectivity, on the grid framed by one ring of cells that stands for the
/// outside and is there from the start (the eldest component). A cell joins the eldest component it touches; every
/// younger one it touches — born at its highest cell b — is a hole of the sublevel sets, cut off at f(v) and filled at
/// f(b). Cells are taken in descending (value, index) order; only pairs are kept, no tree, so it costs one sort and
/// one pass. The pairs come sorted by birth, then death.
/// </summary>
internal static class DualSweep
{
    public static List<PersistencePair> Pairs(Landscape landscape, bool vertexConstruction, bool nanAsInfinity)
    {
        ReadOnlySpan<int> shape = landscape.Shape;
        int dims = shape.Length;
        var framed = new int[dims];
        long count = 1;
        for (int d = 0; d < dims; d++)
        {
            framed[d] = shape[d] + 2;
            count *= framed[d];
        }

        if (count > Array.MaxLength)
        {
            throw new ArgumentException($"The framed grid of {count} cells is larger than an array can hold.", nameof(landscape));
        }

        int n = landscape.Count;
        ReadOnlySpan<double> values = landscape.Values;
        var keys = new ulong[n];
        int firstNaN = SortableKeys.Fill(values, keys, nanAsInfinity ? NaNHandling.TreatAsPositiveInfinity : NaNHandling.Throw);
        if (firstNaN >= 0)
        {
            throw new ArgumentException($"The value at {landscape.DescribeVertex(firstNaN)} is NaN. Fix the landscape, or set MergeTreeOptions.NaNHandling to TreatAsPositiveInfinity to read NaN as +∞.", nameof(landscape));
        }

        var order = new int[n];
        RadixArgsort.Sort(keys, new ulong[n], order, new int[n]);

        // The dual of the top-cell construction joins cells across faces (the axis neighbours); that of the vertex
        // construction across any corner (the full 3 × … × 3 block). In the framed grid every landscape cell has all
        // its neighbours, so offsets need no bounds checks.
        int[] offsets = Offsets(framed, full: vertexConstruction);
        int[] strides = new int[dims];
        strides[dims - 1] = 1;
        for (int d = dims - 2; d >= 0; d--)
        {
            strides[d] = strides[d + 1] * framed[d + 1];
        }

        // Per framed cell its union-find parent and, for a root, when its component was born (the frame: −1, eldest of
        // all), side by side: the sweep visits cells in value order, all over the grid, and one cache line then
        // serves both. Frame cells hang from the first one; −1 marks a cell not yet in the complement.
        var cells = new Cell[count];
        const int Outside = 0;
        cells.AsSpan().Fill(new Cell { Parent = Outside });
        ForEachInterior(framed, strides, c => cells[c].Parent = -1);
        cells[Outside].Age = -1;
        // The framed index of every cell in sweep order, so that the cells a dozen steps ahead can be fetched early.
        var sweep = new int[n];
        for (int step = 0; step < n; step++)
        {
            int rest = order[n - 1 - step], fv = 0;
            for (int d = dims - 1; d >= 0; d--)
            {
                fv += ((rest % shape[d]) + 1) * strides[d];
                rest /= shape[d];
            }

            sweep[step] = fv;
        }

        return Sweep(landscape, keys, order, sweep, cells, offsets, strides, framed);
    }

    private static unsafe List<PersistencePair> Sweep(Landscape landscape, ulong[] keys, int[] order, int[] sweep, Cell[] cells, int[] offsets, int[] strides, int[] framed)
    {
        const int PrefetchDistance = 12;
        const int ParentPrefetchDistance = PrefetchDistance / 2;
        int n = order.Length;
        ReadOnlySpan<int> shape = landscape.Shape;
        ReadOnlySpan<double> values = landscape.Values;
        var pairs = new List<PersistencePair>();
        var roots = new List<int>(offsets.Length);
        fixed (Cell* first = cells)
        {
            for (int step = 0; step < n; step++)
            {
                if (Sse.IsSupported && step + PrefetchDistance < n)
                {
                    // The sweep goes all over the grid: fetch a coming cell's neighbourhood (its row and the rows beside
                    // it) while this one is worked on. A hint only; elsewhere the loop just waits for memory.
                    Cell* ahead = first + sweep[step + PrefetchDistance];
                    Sse.Prefetch0(ahead);
                    foreach (int stride in strides)
                    {
                        if (stride > 1)
                        {
                            Sse.Prefetch0(ahead - stride);
                            Sse.Prefetch0(ahead + stride);
                        }
                    }
                }

                if (Sse.IsSupported && step + ParentPrefetchDistance < n)
                {
                    // Half as far ahead, the neighbours' entries have arrived: fetch their parents, where Find goes next.
                    int near = sweep[step + ParentPrefetchDistance];
                    foreach (int offset in offsets)
                    {
                        int parent = first[near + offset].Parent;
                        if (parent >= 0)
                        {
                            Sse.Prefetch0(first + parent);
                        }
                    }
                }

                int v = order[n - 1 - step];
                double value = NaNAsInfinity.Read(SortableKeys.ToDouble(keys[n - 1 - step])); // the sorted keys, read in order: no lookup
                int fv = sweep[step];

                // The cell joins the eldest complement component it touches (a new one is born only where it touches
                // none); every other one it touches is cut off here: a hole.
                roots.Clear();
                int eldest = -1;
                foreach (int offset in offsets)
                {
                    int u = fv + offset;
                    if (cells[u].Parent < 0)
                    {
                        continue;
                    }

                    int r = Find(cells, u);
                    if (!roots.Contains(r))
                    {
                        roots.Add(r);
                        if (eldest < 0 || cells[r].Age < cells[eldest].Age)
                        {
                            eldest = r;
                        }
                    }
                }

                if (eldest < 0)
                {
                    cells[fv] = new Cell { Parent = fv, Age = step };
                    continue;
                }

                cells[fv].Parent = eldest;
                foreach (int young in roots)
                {
                    if (young == eldest)
                    {
                        continue;
                    }

                    cells[young].Parent = eldest;
                    if (!double.IsPositiveInfinity(value))
                    {
                        // A region of +∞ values cut off at +∞ is no hole. A root is the cell its component was born at.
                        int top = Unframed(young, shape, framed);
                        pairs.Add(new PersistencePair(v, value, top, NaNAsInfinity.Read(values[top])));
                    }
                }
            }

        }

        return SortedByBirth(pairs);
    }

    /// <summary>The pairs by birth, then death (a radix sort on the births, runs of equal births by death), as diagrams from merge trees are.</summary>
    private static List<PersistencePair> SortedByBirth(List<PersistencePair> pairs)
    {
        int m = pairs.Count;
        var keys = new ulong[m];
        for (int i = 0; i < m; i++)
        {
            keys[i] = SortableKeys.FromDouble(pairs[i].Birth);
        }

        var index = new int[m];
        RadixArgsort.Sort(keys, new ulong[m], index, new int[m]);
        var sorted = new PersistencePair[m];
        for (int i = 0; i < m; i++)
        {
            sorted[i] = pairs[index[i]];
        }

        for (int start = 0; start < m;)
        {
            int end = start + 1;
            while (end < m && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(sorted, start, end - start, DeathOrder.Instance);
            }

            start = end;
        }

        return [.. sorted];
    }

    private sealed class DeathOrder : IComparer<PersistencePair>
    {
        public static readonly DeathOrder Instance = new();

        public int Compare(PersistencePair x, PersistencePair y) => x.Death.CompareTo(y.Death);
    }

    /// <summary>Calls <paramref name="visit"/> for every framed cell inside the frame, row by row.</summary>
    private static void ForEachInterior(int[] framed, int[] strides, Action<int> visit)
    {
        int dims = framed.Length;
        var at = new int[dims];
        Array.Fill(at, 1);
        while (true)
        {
            int start = 0;
            for (int d = 0; d < dims - 1; d++)
            {
                start += at[d] * strides[d];
            }

            for (int last = 1; last < framed[dims - 1] - 1; last++)
            {
                visit(start + last);
            }

            int k = dims - 2;
            while (k >= 0 && at[k] == framed[k] - 2)
            {
                at[k] = 1;
                k--;
            }

            if (k < 0)
            {
                return;
            }

            at[k]++;
        }
    }

    /// <summary>Flat offsets of the axis neighbours, or of the whole 3 × … × 3 block but the centre.</summary>
    private static int[] Offsets(int[] framed, bool full)
    {
        int dims = framed.Length;
        var strides = new int[dims];
        strides[dims - 1] = 1;
        for (int d = dims - 2; d >= 0; d--)
        {
            strides[d] = strides[d + 1] * framed[d + 1];
        }

        var result = new List<int>();
        var step = new int[dims];
        int combinations = (int)Math.Pow(3, dims);
        for (int k = 0; k < combinations; k++)
        {
            int rest = k, nonZero = 0, offset = 0;
            for (int d = 0; d < dims; d++)
            {
                step[d] = (rest % 3) - 1;
                rest /= 3;
                nonZero += step[d] != 0 ? 1 : 0;
                offset += step[d] * strides[d];
            }

            if (nonZero > 0 && (full || nonZero == 1))
            {
                result.Add(offset);
            }
        }

        return [.. result];
    }

    private static int Find(Cell[] cells, int v)
    {
        while (cells[v].Parent != v)
        {
            int up = cells[cells[v].Parent].Parent;
            cells[v].Parent = up;
            v = up;
        }

        return v;
    }

    /// <summary>The landscape vertex at an interior framed index.</summary>
    private static int Unframed(int flat, ReadOnlySpan<int> shape, int[] framed)
    {
        int vertex = 0, scale = 1;
        for (int d = framed.Length - 1; d >= 0; d--)
        {
            vertex += ((flat % framed[d]) - 1) * scale;
            flat /= framed[d];
            scale *= shape[d];
        }

        return vertex;
    }

    private struct Cell
    {
        public int Parent;
        public int Age;
    }
}
