using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Graphs;

/// <summary>
/// Approximate k-nearest-neighbour graphs by NN-descent (Dong, Moses and Li 2011), the method the paper used:
/// repeatedly let neighbours of neighbours introduce themselves ("local joins"), with sampling (ρ) and new/old
/// flags, until fewer than δ·n·k lists change in a round. The start is not random: points are put in Z-order and
/// each list begins with the nearest of the point's neighbours along three Z-curves with shifted cells, which is
/// already about 98% right, so a few rounds finish the job (a random start needs 20 or more, and a curve alone
/// leaves NN-descent stuck in the curve's local cliques). Rounds run in parallel in "pull" form — each point
/// improves only its own list from its neighbours' lists as they stood at the start of the round — so the result
/// is deterministic for a given seed; distances are tie-broken by index like <see cref="KnnGraphBuilder"/>.
/// </summary>
/// <remarks>
/// Works in any dimension with distance evaluations only. In 2-D the exact k-d tree of <see cref="KnnGraphBuilder"/>
/// is about as fast (10⁶ points, 2 cores: 1.7 s exact, 1.6 s for two rounds at 99.4% recall, 1.9 s to convergence
/// at 99.7%); NN-descent pays in higher dimensions, where k-d trees degrade.
/// </remarks>
public sealed class NnDescentGraphBuilder : IGraphBuilder
{
    /// <summary>Creates a builder.</summary>
    /// <param name="k">Neighbours per point (8 by default).</param>
    /// <param name="seed">Seed of the sampling in the joins.</param>
    /// <param name="sampleRate">ρ: the fraction of each list (and of the reverse neighbours, up to k) joined per round (1 by default).</param>
    /// <param name="delta">δ: stop when fewer than δ·n·k entries changed in a round (0.001 by default).</param>
    /// <param name="maxRounds">Most rounds (30 by default).</param>
    /// <param name="symmetrization">How the directed relation becomes undirected.</param>
    public NnDescentGraphBuilder(int k = 8, long seed = 0, double sampleRate = 1, double delta = 0.001, int maxRounds = 30, KnnSymmetrization symmetrization = KnnSymmetrization.Union)
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
        return Build(landscape.FlatCoordinates(), landscape.Dimension);
    }

    /// <summary>The graph of points given as a flat point-major array (n × dimension).</summary>
    public NeighborGraph Build(ReadOnlySpan<double> coordinates, int dimension)
        => new KnnGraphBuilder(K, Symmetrization).Symmetrize(NearestNeighbors(coordinates, dimension), coordinates.Length / dimension);

    /// <summary>The approximate k nearest neighbours of every point (row v: point v's, nearest first).</summary>
    /// <exception cref="ArgumentException">Fewer than k + 1 points, or a length that does not split into points.</exception>
    public int[] NearestNeighbors(ReadOnlySpan<double> coordinates, int dimension)
    {
        int n = KnnGraphBuilder.CheckPoints(coordinates, dimension, K);

        // Work in Z-order (Morton order): points close in space get close indices, which makes both the start
        // and every later round cache-friendly. Two more curves with shifted cells (offsets drawn from the seed;
        // thirds of a cell for seed 0) catch the pairs that one curve's jumps separate.
        var random = new Random(unchecked((int)(Seed ^ (Seed >>> 32))));
        double[] shifts = Seed == 0 ? [0, 1 / 3.0, 2 / 3.0] : [0, random.NextDouble(), random.NextDouble()];
        double[] source = coordinates.ToArray();
        var orders = new int[3][];
        Parallel.For(0, 3, c => orders[c] = MortonOrder(source, dimension, n, shifts[c]));
        int[] byCurve = orders[0];
        var reordered = new double[source.Length];
        var position = new int[n];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(source, byCurve[i] * dimension, reordered, i * dimension, dimension);
            position[byCurve[i]] = i;
        }

        // Each shifted curve as curve positions, and each point's place along it.
        var curves = new int[2][];
        var places = new int[2][];
        for (int c = 0; c < 2; c++)
        {
            curves[c] = new int[n];
            places[c] = new int[n];
            for (int p = 0; p < n; p++)
            {
                curves[c][p] = position[orders[c + 1][p]];
                places[c][curves[c][p]] = p;
            }
        }

        var state = new Lists(reordered, byCurve, dimension, n, K);
        state.InitializeAlongCurves(curves, places);
        LastRounds = 0;
        for (int round = 0; round < MaxRounds; round++)
        {
            LastRounds++;
            long updates = state.Round(SampleRate);
            if (updates < Delta * n * K)
            {
                break;
            }
        }

        return state.Sorted();
    }

    /// <summary>Point indices sorted by the Morton code of their quantised coordinates (ties by index).</summary>
    private static int[] MortonOrder(double[] coordinates, int dimension, int n, double shift)
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
                code |= Spread((ulong)Math.Min(cells, (long)(u * cells)), dimension, bits) << c;
            }

            codes[i] = code;
        }

        // The library's stable radix argsort: equal codes stay in index order.
        var order = new int[n];
        Ordering.RadixArgsort.Sort(codes, new ulong[n], order, new int[n]);
        return order;
    }

    /// <summary>Spreads the low <paramref name="bits"/> bits of <paramref name="value"/> to every <paramref name="dimension"/>-th position.</summary>
    private static ulong Spread(ulong value, int dimension, int bits)
    {
        if (dimension == 2)
        {
            // Interleave with zeros by the usual shift-and-mask steps.
            ulong x = value & 0xFFFFFFFFUL;
            x = (x | (x << 16)) & 0x0000FFFF0000FFFFUL;
            x = (x | (x << 8)) & 0x00FF00FF00FF00FFUL;
            x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FUL;
            x = (x | (x << 2)) & 0x3333333333333333UL;
            x = (x | (x << 1)) & 0x5555555555555555UL;
            return x;
        }

        ulong result = 0;
        for (int b = 0; b < bits; b++)
        {
            result |= ((value >> b) & 1UL) << (b * dimension);
        }

        return result;
    }

    /// <summary>
    /// The neighbour lists, in curve order: per point a max-heap on (distance, original index) with a "new" flag per
    /// entry. Candidate lists are flat arrays rebuilt each round, so a round allocates nothing per point.
    /// </summary>
    private sealed class Lists(double[] points, int[] original, int dimension, int n, int k)
    {
        private readonly int[] _ids = new int[n * k];
        private readonly double[] _distances = new double[n * k];
        private bool[] _changed = Enumerable.Repeat(true, n).ToArray(); // which lists changed in the last round (all, at the start)

        /// <summary>
        /// Starting lists, for every point in parallel (each point writes only its own list): the nearest of its
        /// neighbours along the canonical curve and along the two shifted curves.
        /// </summary>
        public void InitializeAlongCurves(int[][] curves, int[][] places)
        {
            Parallel.For(0, n, v =>
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

                for (int c = 0; c < curves.Length; c++)
                {
                    int p = places[c][v];
                    for (int w = 1; w <= (k + 1) / 2; w++)
                    {
                        foreach (int q in (ReadOnlySpan<int>)[p - w, p + w])
                        {
                            if (q >= 0 && q < n)
                            {
                                Insert(v, curves[c][q], Distance(v, curves[c][q]));
                            }
                        }
                    }
                }
            });
        }

        /// <summary>
        /// One round of local joins, in "pull" form so that it runs in parallel and stays deterministic: every point
        /// offers itself the neighbours of its neighbours and of its reverse neighbours (the lists as they were at
        /// the start of the round), writing only its own list. A fraction ρ of each list takes part.
        /// </summary>
        /// <returns>How many list entries changed.</returns>
        public long Round(double sampleRate)
        {
            int[] snapshot = (int[])_ids.Clone();
            int take = Math.Max(1, (int)Math.Ceiling(sampleRate * k));

            // Reverse neighbours (u lists v ⇒ u is a reverse neighbour of v), at most `take` each, lowest u first.
            var reverse = new int[n * take];
            var reverseCount = new int[n];
            for (int u = 0; u < n; u++)
            {
                for (int e = 0; e < k; e++)
                {
                    int v = snapshot[(u * k) + e];
                    if (reverseCount[v] < take)
                    {
                        reverse[(v * take) + reverseCount[v]++] = u;
                    }
                }
            }

            // Only pairs that can be new are joined: v meets the lists of its (reverse) neighbours when either v's
            // list or theirs changed in the last round. The first round, after the start, joins everything.
            bool[] changedBefore = _changed;
            var changedNow = new bool[n];
            long updates = 0;
            Parallel.For(0, n, () => 0L, (v, _, local) =>
            {
                ReadOnlySpan<int> own = snapshot.AsSpan(v * k, k);
                long mine = 0;
                for (int i = k - take; i < k; i++)
                {
                    int u = own[i];
                    if (changedBefore[v] || changedBefore[u])
                    {
                        mine += Offer(v, snapshot.AsSpan(u * k, k));
                    }
                }

                for (int i = 0; i < reverseCount[v]; i++)
                {
                    int u = reverse[(v * take) + i];
                    if (changedBefore[v] || changedBefore[u])
                    {
                        mine += Offer(v, snapshot.AsSpan(u * k, k));
                        mine += Insert(v, u, Distance(v, u));
                    }
                }

                changedNow[v] = mine > 0;
                return local + mine;
            }, local => Interlocked.Add(ref updates, local));
            _changed = changedNow;
            return updates;
        }

        private int Offer(int v, ReadOnlySpan<int> candidates)
        {
            int changed = 0;
            foreach (int w in candidates)
            {
                if (w != v)
                {
                    changed += Insert(v, w, Distance(v, w));
                }
            }

            return changed;
        }

        /// <summary>Every list sorted nearest first (by distance, then original index), as original indices.</summary>
        public int[] Sorted()
        {
            var result = new int[n * k];
            Parallel.For(0, n, v =>
            {
                // Heap sort in place: move the farthest to the back, k − 1 times.
                int row = v * k;
                for (int last = k - 1; last > 0; last--)
                {
                    (_ids[row], _ids[row + last]) = (_ids[row + last], _ids[row]);
                    (_distances[row], _distances[row + last]) = (_distances[row + last], _distances[row]);
                    SiftDown(v, 0, last);
                }

                int target = original[v];
                for (int e = 0; e < k; e++)
                {
                    result[(target * k) + e] = original[_ids[row + e]];
                }
            });
            return result;
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
            SiftDown(v, 0);
            return 1;
        }

        private void SiftDown(int v, int i, int count = -1)
        {
            count = count < 0 ? k : count;
            int row = v * k;
            while (true)
            {
                int l = (2 * i) + 1;
                int r = l + 1;
                int largest = i;
                if (l < count && Greater(row + l, row + largest))
                {
                    largest = l;
                }

                if (r < count && Greater(row + r, row + largest))
                {
                    largest = r;
                }

                if (largest == i)
                {
                    return;
                }

                (_ids[row + i], _ids[row + largest]) = (_ids[row + largest], _ids[row + i]);
                (_distances[row + i], _distances[row + largest]) = (_distances[row + largest], _distances[row + i]);
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
