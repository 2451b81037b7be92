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
    public static unsafe List<PersistencePair> Pairs(Landscape landscape, bool vertexConstruction, bool nanAsInfinity)
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

        // The dual of the top-cell construction joins cells across faces (the axis neighbours); that of the vertex
        // construction across any corner (the full 3 × … × 3 block). In the framed grid every landscape cell has all
        // its neighbours, so offsets need no bounds checks.
        int[] strides = new int[dims];
        strides[dims - 1] = 1;
        for (int d = dims - 2; d >= 0; d--)
        {
            strides[d] = strides[d + 1] * framed[d + 1];
        }

        int[] offsets = Offsets(strides, full: vertexConstruction);

        // One int per framed cell (half the memory of a parent and an age side by side, so more of the grid stays in
        // the caches while the sweep visits cells in value order, all over the grid): a cell not yet in the complement
        // holds NotIn, a cell in it its union-find parent (≥ 0), a root −(age + 2), where its age is the step its
        // component was born at and the frame, the eldest of all, has age −1. Frame cells hang from the first one.
        using var cells = new HugePageBuffer<int>((int)count);
        const int Outside = 0;
        cells.Span.Clear();
        cells.Span[Outside] = RootOfAge(-1);
        var sweep = new int[n];
        FillInterior(framed, strides, cells.Span, sweep);
        // The cells are sorted carrying their framed indices (increasing with the landscape index, so ties stay in
        // index order): the sweep reads them backwards, and can fetch the cells a dozen steps ahead early.
        RadixArgsort.SortCarrying(keys, new ulong[n], sweep, new int[n]);
        return Sweep(landscape, keys, sweep, cells.Pointer, offsets, strides, framed);
    }

    private static unsafe List<PersistencePair> Sweep(Landscape landscape, ulong[] keys, int[] sweep, int* cells, int[] offsets, int[] strides, int[] framed)
    {
        const int PrefetchDistance = 12;
        const int ParentPrefetchDistance = PrefetchDistance / 2;
        int n = sweep.Length;
        ReadOnlySpan<int> shape = landscape.Shape;
        ReadOnlySpan<double> values = landscape.Values;
        var pairs = new List<PersistencePair>();
        var roots = new List<int>(offsets.Length);
        for (int step = 0; step < n; step++)
        {
            if (Sse.IsSupported && step + PrefetchDistance < n)
            {
                // The sweep goes all over the grid: fetch a coming cell's neighbourhood (its row and the rows beside
                // it) while this one is worked on. A hint only; elsewhere the loop just waits for memory.
                int* ahead = cells + sweep[n - 1 - step - PrefetchDistance];
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
                int near = sweep[n - 1 - step - ParentPrefetchDistance];
                foreach (int offset in offsets)
                {
                    int parent = cells[near + offset];
                    if (parent >= 0)
                    {
                        Sse.Prefetch0(cells + parent);
                    }
                }
            }

            double value = NaNAsInfinity.Read(SortableKeys.ToDouble(keys[n - 1 - step])); // the sorted keys, read in order: no lookup
            int fv = sweep[n - 1 - step];

            // The cell joins the eldest complement component it touches (a new one is born only where it touches
            // none); every other one it touches is cut off here: a hole.
            roots.Clear();
            int eldest = -1;
            foreach (int offset in offsets)
            {
                int u = fv + offset;
                if (cells[u] == NotIn)
                {
                    continue;
                }

                int r = Find(cells, u);
                if (!roots.Contains(r))
                {
                    roots.Add(r);
                    if (eldest < 0 || cells[r] > cells[eldest]) // the larger code, the lower age
                    {
                        eldest = r;
                    }
                }
            }

            if (eldest < 0)
            {
                cells[fv] = RootOfAge(step);
                continue;
            }

            cells[fv] = eldest;
            foreach (int young in roots)
            {
                if (young == eldest)
                {
                    continue;
                }

                cells[young] = eldest;
                if (!double.IsPositiveInfinity(value))
                {
                    // A region of +∞ values cut off at +∞ is no hole. A root is the cell its component was born at.
                    int top = Unframed(young, shape, framed);
                    pairs.Add(new PersistencePair(Unframed(fv, shape, framed), value, top, NaNAsInfinity.Read(values[top])));
                }
            }
        }

        return SortedByBirth(pairs);
    }

    /// <summary>
    /// The pairs by birth, then death, as diagrams from merge trees are. The sweep found them in descending order of
    /// birth (a hole is born at the value of the step that cuts it off), so reversing them is the sort by birth; only
    /// runs of equal births are sorted, by death and then by vertices, so that the order is the same on every run.
    /// </summary>
    private static List<PersistencePair> SortedByBirth(List<PersistencePair> pairs)
    {
        pairs.Reverse();
        Span<PersistencePair> sorted = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pairs);
        for (int start = 0; start < sorted.Length;)
        {
            int end = start + 1;
            while (end < sorted.Length && BitConverter.DoubleToInt64Bits(sorted[end].Birth) == BitConverter.DoubleToInt64Bits(sorted[start].Birth)) // −0 and 0 apart, as the keys have them
            {
                end++;
            }

            if (end - start > 1)
            {
                sorted[start..end].Sort(DeathOrder.Instance);
            }

            start = end;
        }

        return pairs;
    }

    /// <summary>By death, then death vertex, then birth vertex: a total order on the pairs of one birth.</summary>
    private sealed class DeathOrder : IComparer<PersistencePair>
    {
        public static readonly DeathOrder Instance = new();

        public int Compare(PersistencePair x, PersistencePair y)
        {
            int byDeath = x.Death.CompareTo(y.Death);
            if (byDeath != 0)
            {
                return byDeath;
            }

            int byDeathVertex = x.DeathVertex.CompareTo(y.DeathVertex);
            return byDeathVertex != 0 ? byDeathVertex : x.BirthVertex.CompareTo(y.BirthVertex);
        }
    }

    /// <summary>A cell's code before it joins the complement.</summary>
    private const int NotIn = int.MinValue;

    /// <summary>The code of a root whose component was born at step <paramref name="age"/> (−1 for the frame): −(age + 2), below every parent index and above <see cref="NotIn"/>.</summary>
    private static int RootOfAge(int age) => -(age + 2);

    /// <summary>Marks every interior cell <see cref="NotIn"/> and writes its framed index, in landscape order (row by row, no division), into <paramref name="framedIndices"/>.</summary>
    private static void FillInterior(int[] framed, int[] strides, Span<int> cells, int[] framedIndices)
    {
        int next = 0, row = framed[^1];
        foreach (int start in InteriorRowStarts(framed, strides))
        {
            cells.Slice(start + 1, row - 2).Fill(NotIn);
            for (int last = 1; last < row - 1; last++)
            {
                framedIndices[next++] = start + last;
            }
        }
    }

    /// <summary>The framed index where each row inside the frame starts (at its frame cell), in landscape order.</summary>
    private static IEnumerable<int> InteriorRowStarts(int[] framed, int[] strides)
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

            yield return start;
            int k = dims - 2;
            while (k >= 0 && at[k] == framed[k] - 2)
            {
                at[k] = 1;
                k--;
            }

            if (k < 0)
            {
                yield break;
            }

            at[k]++;
        }
    }

    /// <summary>Flat offsets of the axis neighbours, or of the whole 3 × … × 3 block but the centre.</summary>
    private static int[] Offsets(int[] strides, bool full)
    {
        int dims = strides.Length;
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

    /// <summary>The root of <paramref name="v"/>'s component (a cell in the complement), halving the path on the way.</summary>
    private static unsafe int Find(int* cells, int v)
    {
        for (int up = cells[v]; up >= 0; up = cells[v])
        {
            int grand = cells[up];
            if (grand < 0)
            {
                return up;
            }

            cells[v] = grand;
            v = grand;
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
}
