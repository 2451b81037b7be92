using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Graphs;

/// <summary>
/// Approximate k-nearest-neighbour graphs by NN-descent (Dong, Moses and Li 2011), the method the paper used:
/// repeatedly let neighbours of neighbours introduce themselves ("local joins"), with sampling (ρ) and new/old
/// flags, until fewer than δ·n·k lists change in a round. The start is not random: points are put in Z-order and
/// each list begins with the nearest of the point's neighbours along three Z-curves with shifted cells, which is
/// already about 98% right, so a few rounds finish the job (a random start needs 20 or more, and a curve alone
/// leaves NN-descent stuck in the curve's local cliques). Deterministic for a given seed (one thread, fixed
/// order); distances tie-broken by index like <see cref="KnnGraphBuilder"/>.
/// </summary>
/// <remarks>
/// Works in any dimension with distance evaluations only, which is where it pays: in 2-D, the exact k-d tree of
/// <see cref="KnnGraphBuilder"/> is faster.
/// </remarks>
public sealed class NnDescentGraphBuilder : IGraphBuilder
{
    /// <summary>Creates a builder.</summary>
    /// <param name="k">Neighbours per point (8 by default).</param>
    /// <param name="seed">Seed of the sampling in the joins.</param>
    /// <param name="sampleRate">ρ: the fraction of each list joined per round (0.5 by default).</param>
    /// <param name="delta">δ: stop when fewer than δ·n·k entries changed in a round (0.001 by default).</param>
    /// <param name="maxRounds">Most rounds (30 by default).</param>
    /// <param name="symmetrization">How the directed relation becomes undirected.</param>
    public NnDescentGraphBuilder(int k = 8, long seed = 0, double sampleRate = 0.5, double delta = 0.001, int maxRounds = 30, KnnSymmetrization symmetrization = KnnSymmetrization.Union)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(delta);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRounds, 1);
        K = k;
        Seed = seed;
        SampleRate = sampleRate;
        Delta = delta;
        MaxRounds = maxRounds;
        Symmetrization = symmetrization;
    }

    /// <summary>Neighbours per point.</summary>
    public int K { get; }

    /// <summary>The seed.</summary>
    public long Seed { get; }

    /// <summary>ρ.</summary>
    public double SampleRate { get; }

    /// <summary>δ.</summary>
    public double Delta { get; }

    /// <summary>Most rounds.</summary>
    public int MaxRounds { get; }

    /// <summary>How the relation is made undirected.</summary>
    public KnnSymmetrization Symmetrization { get; }

    /// <summary>Rounds the last build took.</summary>
    public int LastRounds { get; private set; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The landscape has k or fewer points.</exception>
    public NeighborGraph Build(Landscape landscape)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        int dimension = landscape.Dimension;
        var coordinates = new double[landscape.Count * dimension];
        for (int v = 0; v < landscape.Count; v++)
        {
            landscape.GetCoordinates(v, coordinates.AsSpan(v * dimension, dimension));
        }

        return Build(coordinates, dimension);
    }

    /// <summary>The graph of points given as a flat point-major array (n × dimension).</summary>
    public NeighborGraph Build(ReadOnlySpan<double> coordinates, int dimension)
        => new KnnGraphBuilder(K, Symmetrization).Symmetrize(NearestNeighbors(coordinates, dimension), coordinates.Length / dimension);

    /// <summary>The approximate k nearest neighbours of every point (row v: point v's, nearest first).</summary>
    /// <exception cref="ArgumentException">Fewer than k + 1 points, or a length that does not split into points.</exception>
    public int[] NearestNeighbors(ReadOnlySpan<double> coordinates, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (coordinates.Length % dimension != 0)
        {
            throw new ArgumentException($"{coordinates.Length} coordinates do not split into points of dimension {dimension}.", nameof(coordinates));
        }

        int n = coordinates.Length / dimension;
        if (K >= n)
        {
            throw new ArgumentException($"k = {K} needs more than {K} points; got {n}.", nameof(coordinates));
        }

        // Work in Z-order (Morton order): points close in space get close indices, which makes both the start
        // and every later round cache-friendly. The first lists come from each point's neighbours along the curve.
        int[] byCurve = MortonOrder(coordinates, dimension, n);
        var reordered = new double[coordinates.Length];
        for (int i = 0; i < n; i++)
        {
            coordinates.Slice(byCurve[i] * dimension, dimension).CopyTo(reordered.AsSpan(i * dimension, dimension));
        }

        // Two more curves with shifted cells: a pair of points split by a jump of one curve is rarely split by all three.
        int[] position = new int[n];
        for (int i = 0; i < n; i++)
        {
            position[byCurve[i]] = i;
        }

        var shifted = new int[2][];
        for (int s = 0; s < 2; s++)
        {
            int[] order = MortonOrder(coordinates, dimension, n, (s + 1) / 3.0);
            shifted[s] = new int[n];
            for (int p = 0; p < n; p++)
            {
                shifted[s][p] = position[order[p]];
            }
        }

        var state = new Lists(reordered, byCurve, dimension, n, K) { ShiftedCurves = shifted };
        var random = new Random(unchecked((int)(Seed ^ (Seed >>> 32))));
        state.InitializeAlongCurves();
        int sample = Math.Max(1, (int)Math.Ceiling(SampleRate * K));
        LastRounds = 0;
        for (int round = 0; round < MaxRounds; round++)
        {
            LastRounds++;
            long updates = state.Round(random, sample);
            if (updates < Delta * n * K)
            {
                break;
            }
        }

        return state.Sorted();
    }

    /// <summary>Point indices sorted by the Morton code of their quantised coordinates (ties by index).</summary>
    private static int[] MortonOrder(ReadOnlySpan<double> coordinates, int dimension, int n, double shift = 0)
    {
        int bits = Math.Max(1, Math.Min(21, 63 / dimension));
        var low = new double[dimension];
        var high = new double[dimension];
        Array.Fill(low, double.PositiveInfinity);
        Array.Fill(high, double.NegativeInfinity);
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < dimension; c++)
            {
                double v = coordinates[(i * dimension) + c];
                low[c] = Math.Min(low[c], v);
                high[c] = Math.Max(high[c], v);
            }
        }

        var codes = new ulong[n];
        long cells = (1L << bits) - 1;
        for (int i = 0; i < n; i++)
        {
            ulong code = 0;
            for (int c = 0; c < dimension; c++)
            {
                double span = high[c] - low[c];
                double u = span > 0 ? ((coordinates[(i * dimension) + c] - low[c]) / span / 2) + (shift * (c + 1) / (dimension + 1)) : 0;
                ulong q = (ulong)Math.Min(cells, (long)(u * cells));
                for (int b = 0; b < bits; b++)
                {
                    code |= ((q >> b) & 1UL) << ((b * dimension) + c);
                }
            }

            codes[i] = code;
        }

        int[] order = Enumerable.Range(0, n).ToArray();
        Array.Sort(codes, order); // Array.Sort is unstable: ties (equal codes) are settled by index below
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && codes[end] == codes[start])
            {
                end++;
            }

            Array.Sort(order, start, end - start);
            start = end;
        }

        return order;
    }

    /// <summary>
    /// The neighbour lists, in curve order: per point a max-heap on (distance, original index) with a "new" flag per
    /// entry. Candidate lists are flat arrays rebuilt each round, so a round allocates nothing per point.
    /// </summary>
    private sealed class Lists(double[] points, int[] original, int dimension, int n, int k)
    {
        private readonly int[] _ids = new int[n * k];
        private readonly double[] _distances = new double[n * k];
        private readonly bool[] _new = new bool[n * k];

        /// <summary>Further curve orders (as curve positions of the canonical order) that the start also walks.</summary>
        public int[][] ShiftedCurves { get; init; } = [];

        /// <summary>
        /// Starting lists: each point's nearest among its neighbours along three Z-curves (the canonical one and two
        /// with shifted cells), so that the joins start from lists that are already nearly right; all entries new.
        /// </summary>
        public void InitializeAlongCurves()
        {
            for (int v = 0; v < n; v++)
            {
                int row = v * k;
                int count = 0;
                for (int w = 1; count < k; w++)
                {
                    foreach (int u in (ReadOnlySpan<int>)[v - w, v + w])
                    {
                        if (u >= 0 && u < n && count < k)
                        {
                            _ids[row + count] = u;
                            _distances[row + count] = Distance(v, u);
                            _new[row + count] = true;
                            count++;
                        }
                    }
                }

                for (int e = (k / 2) - 1; e >= 0; e--)
                {
                    SiftDown(v, e);
                }

                for (int w = (k / 2) + 1; w <= k; w++)
                {
                    foreach (int u in (ReadOnlySpan<int>)[v - w, v + w])
                    {
                        if (u >= 0 && u < n)
                        {
                            Insert(v, u, Distance(v, u));
                        }
                    }
                }
            }

            foreach (int[] curve in ShiftedCurves)
            {
                for (int p = 0; p < n; p++)
                {
                    int v = curve[p];
                    for (int w = 1; w <= k; w++)
                    {
                        foreach (int q in (ReadOnlySpan<int>)[p - w, p + w])
                        {
                            if (q >= 0 && q < n)
                            {
                                Insert(v, curve[q], Distance(v, curve[q]));
                            }
                        }
                    }
                }
            }
        }

        /// <summary>One round of sampled local joins; returns how many list entries changed.</summary>
        public long Round(Random random, int sample)
        {
            // Forward candidates: up to `sample` new entries (which become old) and all old entries.
            var newForward = new int[n * k];
            var newCount = new int[n];
            var oldForward = new int[n * k];
            var oldCount = new int[n];
            Span<int> fresh = stackalloc int[k];
            for (int v = 0; v < n; v++)
            {
                int row = v * k;
                int f = 0;
                for (int e = 0; e < k; e++)
                {
                    if (_new[row + e])
                    {
                        fresh[f++] = row + e;
                    }
                    else
                    {
                        oldForward[row + oldCount[v]++] = _ids[row + e];
                    }
                }

                for (int i = f - 1; i > 0; i--)
                {
                    int j = random.Next(i + 1);
                    (fresh[i], fresh[j]) = (fresh[j], fresh[i]);
                }

                for (int i = 0; i < Math.Min(sample, f); i++)
                {
                    newForward[row + newCount[v]++] = _ids[fresh[i]];
                    _new[fresh[i]] = false;
                }
            }

            // Reverse candidates, at most `sample` per point, chosen by reservoir sampling in a fixed order.
            var newReverse = new int[n * sample];
            var newReverseCount = new int[n];
            var newReverseSeen = new int[n];
            var oldReverse = new int[n * sample];
            var oldReverseCount = new int[n];
            var oldReverseSeen = new int[n];
            for (int v = 0; v < n; v++)
            {
                for (int i = 0; i < newCount[v]; i++)
                {
                    Reservoir(newReverse, newReverseCount, newReverseSeen, newForward[(v * k) + i], v, sample, random);
                }

                for (int i = 0; i < oldCount[v]; i++)
                {
                    Reservoir(oldReverse, oldReverseCount, oldReverseSeen, oldForward[(v * k) + i], v, sample, random);
                }
            }

            long updates = 0;
            Span<int> newCandidates = stackalloc int[k + sample];
            Span<int> oldCandidates = stackalloc int[k + sample];
            for (int v = 0; v < n; v++)
            {
                int nc = Merge(newForward.AsSpan(v * k, newCount[v]), newReverse.AsSpan(v * sample, newReverseCount[v]), newCandidates);
                int oc = Merge(oldForward.AsSpan(v * k, oldCount[v]), oldReverse.AsSpan(v * sample, oldReverseCount[v]), oldCandidates);
                for (int i = 0; i < nc; i++)
                {
                    int a = newCandidates[i];
                    for (int j = i + 1; j < nc; j++)
                    {
                        updates += Join(a, newCandidates[j]);
                    }

                    for (int j = 0; j < oc; j++)
                    {
                        updates += Join(a, oldCandidates[j]);
                    }
                }
            }

            return updates;
        }

        /// <summary>Every list sorted nearest first (by distance, then original index), as original indices.</summary>
        public int[] Sorted()
        {
            var result = new int[n * k];
            var row = new (double, int)[k];
            for (int v = 0; v < n; v++)
            {
                for (int e = 0; e < k; e++)
                {
                    row[e] = (_distances[(v * k) + e], original[_ids[(v * k) + e]]);
                }

                Array.Sort(row);
                int target = original[v];
                for (int e = 0; e < k; e++)
                {
                    result[(target * k) + e] = row[e].Item2;
                }
            }

            return result;
        }

        private static void Reservoir(int[] lists, int[] counts, int[] seen, int owner, int item, int sample, Random random)
        {
            int s = seen[owner]++;
            if (counts[owner] < sample)
            {
                lists[(owner * sample) + counts[owner]++] = item;
            }
            else
            {
                int j = random.Next(s + 1);
                if (j < sample)
                {
                    lists[(owner * sample) + j] = item;
                }
            }
        }

        private static int Merge(ReadOnlySpan<int> first, ReadOnlySpan<int> second, Span<int> into)
        {
            first.CopyTo(into);
            int count = first.Length;
            foreach (int u in second)
            {
                if (!into[..count].Contains(u))
                {
                    into[count++] = u;
                }
            }

            return count;
        }

        private int Join(int a, int b)
        {
            if (a == b)
            {
                return 0;
            }

            double d = Distance(a, b);
            return Insert(a, b, d) + Insert(b, a, d);
        }

        private int Insert(int v, int u, double d)
        {
            int row = v * k;
            double worst = _distances[row];
            if (u == v || d > worst || (d == worst && original[u] >= original[_ids[row]]))
            {
                return 0;
            }

            if (_ids.AsSpan(row, k).Contains(u))
            {
                return 0;
            }

            _ids[row] = u;
            _distances[row] = d;
            _new[row] = true;
            SiftDown(v, 0);
            return 1;
        }

        private void SiftDown(int v, int i)
        {
            int row = v * k;
            while (true)
            {
                int l = (2 * i) + 1;
                int r = l + 1;
                int largest = i;
                if (l < k && Greater(row + l, row + largest))
                {
                    largest = l;
                }

                if (r < k && Greater(row + r, row + largest))
                {
                    largest = r;
                }

                if (largest == i)
                {
                    return;
                }

                (_ids[row + i], _ids[row + largest]) = (_ids[row + largest], _ids[row + i]);
                (_distances[row + i], _distances[row + largest]) = (_distances[row + largest], _distances[row + i]);
                (_new[row + i], _new[row + largest]) = (_new[row + largest], _new[row + i]);
                i = largest;
            }
        }

        private bool Greater(int a, int b)
            => _distances[a] > _distances[b] || (_distances[a] == _distances[b] && original[_ids[a]] > original[_ids[b]]);

        private double Distance(int a, int b)
        {
            double d = 0;
            int pa = a * dimension;
            int pb = b * dimension;
            for (int c = 0; c < dimension; c++)
            {
                double delta = points[pa + c] - points[pb + c];
                d += delta * delta;
            }

            return d;
        }
    }
}
