using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Ordering;

namespace LossLandscape.Topology.Persistence;

/// <summary>
/// Persistence of a grid's cubical complex in the dimensions strictly between 0 and the top one (1 of a 3-D grid),
/// by persistent cohomology on the explicit complex, as CubicalRipser does: cells in Khalimsky coordinates (an odd
/// coordinate is an interval, an even one a point), ordered by (value, dimension, index); coboundary columns reduced
/// over Z/2 from the last cell back, the pivot being a column's earliest cofacet; cells that killed a class one
/// dimension down are cleared (skipped) first. Pairs of zero persistence are left out: the construction pairs faces of
/// equal value by the thousand, and they are no events of the landscape.
/// </summary>
/// <remarks>
/// Top-cell construction (<see cref="Graphs.GridConnectivity.Full"/>): samples are the top cells and a cell takes the
/// smallest value of the top cells around it (GUDHI's <c>top_dimensional_cells</c>). Vertex construction
/// (<see cref="Graphs.GridConnectivity.Axis"/>): samples are the vertices and a cell takes the largest value of its
/// vertices. A pair's vertices are the samples that give its cells their values (the lowest index among equals).
/// </remarks>
internal static class CubicalCohomology
{
    public static List<PersistencePair> Pairs(Landscape landscape, int dimension, bool vertexConstruction, bool nanAsInfinity)
    {
        ReadOnlySpan<int> shape = landscape.Shape;
        int dims = shape.Length;
        var size = new int[dims];
        long count = 1;
        for (int d = 0; d < dims; d++)
        {
            size[d] = vertexConstruction ? (2 * shape[d]) - 1 : (2 * shape[d]) + 1;
            count *= size[d];
        }

        if (count > Array.MaxLength / 4)
        {
            throw new ArgumentException($"The cubical complex of this grid has {count} cells, more than this computation holds in memory.", nameof(landscape));
        }

        int cells = (int)count;
        var value = new double[cells];
        var source = new int[cells];
        var cellDimension = new byte[cells];
        Fill(landscape, size, vertexConstruction, nanAsInfinity, value, source, cellDimension);

        // Filtration order: value, then dimension (faces before cofaces of equal value), then index. Cells are laid
        // out by (dimension, index) first; the stable radix sort on the values keeps that order among equal values.
        var start = new int[dims + 2];
        foreach (byte d in cellDimension)
        {
            start[d + 1]++;
        }

        for (int d = 0; d <= dims; d++)
        {
            start[d + 1] += start[d];
        }

        int[] order = new int[cells];
        var keys = new ulong[cells];
        for (int c = 0; c < cells; c++)
        {
            int at = start[cellDimension[c]]++;
            order[at] = c;
            keys[at] = SortableKeys.FromDouble(value[c]);
        }

        RadixArgsort.SortCarrying(keys, new ulong[cells], order, new int[cells]);
        var position = new int[cells];
        for (int i = 0; i < cells; i++)
        {
            position[order[i]] = i;
        }

        bool[] cleared = KilledComponents(order, cellDimension, size);
        var pairs = new List<PersistencePair>();
        for (int p = 1; p <= dimension; p++)
        {
            bool[] next = new bool[cells];
            var pivotOf = new Dictionary<int, int[]>();
            var cofacets = new List<int>(2 * dims);
            for (int i = cells - 1; i >= 0; i--)
            {
                int sigma = order[i];
                if (cellDimension[sigma] != p || cleared[sigma])
                {
                    continue;
                }

                cofacets.Clear();
                Neighbours(sigma, size, even: true, cofacets);
                int[] column = [.. cofacets.Select(c => position[c]).Order()];
                while (column.Length > 0 && pivotOf.TryGetValue(column[0], out int[]? other))
                {
                    column = SymmetricDifference(column, other);
                }

                if (column.Length == 0)
                {
                    throw new InvalidOperationException($"Internal error: a {p}-cell of a box's cubical complex carries an essential class.");
                }

                pivotOf[column[0]] = column;
                int tau = order[column[0]];
                next[tau] = true;
                if (p == dimension && value[tau] != value[sigma])
                {
                    pairs.Add(new PersistencePair(source[sigma], value[sigma], source[tau], value[tau]));
                }
            }

            cleared = next;
        }

        return pairs;
    }

    /// <summary>Values, sources and dimensions of every cell.</summary>
    private static void Fill(Landscape landscape, int[] size, bool vertexConstruction, bool nanAsInfinity, double[] value, int[] source, byte[] cellDimension)
    {
        ReadOnlySpan<double> samples = landscape.Values;
        ReadOnlySpan<int> shape = landscape.Shape;
        int dims = size.Length;
        var coordinate = new int[dims];
        var low = new int[dims];
        var high = new int[dims];
        var at = new int[dims];
        for (int c = 0; c < value.Length; c++)
        {
            // The samples a cell takes its value from: along an axis, one where the sample sits on the cell's
            // coordinate, two where the cell lies between samples (clipped at the grid's edge).
            int rest = c;
            byte dimension = 0;
            for (int d = dims - 1; d >= 0; d--)
            {
                coordinate[d] = rest % size[d];
                rest /= size[d];
                bool odd = (coordinate[d] & 1) == 1;
                dimension += odd ? (byte)1 : (byte)0;
                if (vertexConstruction)
                {
                    low[d] = odd ? (coordinate[d] - 1) / 2 : coordinate[d] / 2;
                    high[d] = odd ? (coordinate[d] + 1) / 2 : coordinate[d] / 2;
                }
                else
                {
                    low[d] = odd ? (coordinate[d] - 1) / 2 : Math.Max(0, (coordinate[d] / 2) - 1);
                    high[d] = odd ? (coordinate[d] - 1) / 2 : Math.Min(shape[d] - 1, coordinate[d] / 2);
                }
            }

            cellDimension[c] = dimension;
            double best = vertexConstruction ? double.NegativeInfinity : double.PositiveInfinity;
            int bestSample = -1;
            Array.Copy(low, at, dims);
            while (true)
            {
                int sample = 0;
                for (int d = 0; d < dims; d++)
                {
                    sample = (sample * shape[d]) + at[d];
                }

                double v = samples[sample];
                if (double.IsNaN(v))
                {
                    if (!nanAsInfinity)
                    {
                        throw new ArgumentException($"The value at {landscape.DescribeVertex(sample)} is NaN. Fix the landscape, or set MergeTreeOptions.NaNHandling to TreatAsPositiveInfinity to read NaN as +∞.", nameof(landscape));
                    }

                    v = double.PositiveInfinity;
                }

                bool better = bestSample < 0 || (vertexConstruction ? v > best : v < best) || (v == best && sample < bestSample);
                if (better)
                {
                    best = v;
                    bestSample = sample;
                }

                int k = dims - 1;
                while (k >= 0 && at[k] == high[k])
                {
                    at[k] = low[k];
                    k--;
                }

                if (k < 0)
                {
                    break;
                }

                at[k]++;
            }

            value[c] = best;
            source[c] = bestSample;
        }
    }

    /// <summary>The edges that join two components (negative in dimension 0): union-find over vertices and edges in filtration order.</summary>
    private static bool[] KilledComponents(int[] order, byte[] cellDimension, int[] size)
    {
        var set = new int[order.Length];
        var killed = new bool[order.Length];
        var ends = new List<int>(2);
        foreach (int c in order)
        {
            if (cellDimension[c] == 0)
            {
                set[c] = c;
            }
            else if (cellDimension[c] == 1)
            {
                ends.Clear();
                Neighbours(c, size, even: false, ends);
                int a = Find(set, ends[0]), b = Find(set, ends[1]);
                if (a != b)
                {
                    set[a] = b;
                    killed[c] = true;
                }
            }
        }

        return killed;
    }

    /// <summary>
    /// Cofacets (<paramref name="even"/>: step off an even coordinate) or facets (step off an odd one) of a cell, by flat index.
    /// </summary>
    private static void Neighbours(int cell, int[] size, bool even, List<int> result)
    {
        int stride = 1;
        for (int d = size.Length - 1; d >= 0; d--)
        {
            int coordinate = (cell / stride) % size[d];
            if (((coordinate & 1) == 0) == even)
            {
                if (coordinate > 0)
                {
                    result.Add(cell - stride);
                }

                if (coordinate + 1 < size[d])
                {
                    result.Add(cell + stride);
                }
            }

            stride *= size[d];
        }
    }

    private static int[] SymmetricDifference(int[] a, int[] b)
    {
        var result = new List<int>(a.Length + b.Length);
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] < b[j])
            {
                result.Add(a[i++]);
            }
            else if (a[i] > b[j])
            {
                result.Add(b[j++]);
            }
            else
            {
                i++;
                j++;
            }
        }

        for (; i < a.Length; i++)
        {
            result.Add(a[i]);
        }

        for (; j < b.Length; j++)
        {
            result.Add(b[j]);
        }

        return [.. result];
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
