using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Graphs;

/// <summary>
/// Approximate k-nearest-neighbour graphs by NN-descent (Dong, Moses and Li 2011), the method the paper used:
/// start from random neighbour lists and repeatedly let neighbours of neighbours introduce themselves ("local
/// joins"), with sampling (ρ) and new/old flags, until fewer than δ·n·k lists change in a round. Deterministic
/// for a given seed (one thread, fixed order); distances tie-broken by index like <see cref="KnnGraphBuilder"/>.
/// </summary>
/// <remarks>
/// Works in any dimension with distance evaluations only, which is where it pays: in 2-D, the exact k-d tree of
/// <see cref="KnnGraphBuilder"/> is faster.
/// </remarks>
public sealed class NnDescentGraphBuilder : IGraphBuilder
{
    /// <summary>Creates a builder.</summary>
    /// <param name="k">Neighbours per point (8 by default).</param>
    /// <param name="seed">Seed of the random start and the sampling.</param>
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

        var state = new Lists(coordinates.ToArray(), dimension, n, K);
        var random = new Random(unchecked((int)(Seed ^ (Seed >>> 32))));
        state.Initialize(random);
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

    /// <summary>The neighbour lists: per point a max-heap on (distance, index) with a "new" flag per entry.</summary>
    private sealed class Lists(double[] points, int dimension, int n, int k)
    {
        private readonly int[] _ids = new int[n * k];
        private readonly double[] _distances = new double[n * k];
        private readonly bool[] _new = new bool[n * k];

        public void Initialize(Random random)
        {
            Span<int> chosen = stackalloc int[k];
            for (int v = 0; v < n; v++)
            {
                int count = 0;
                while (count < k)
                {
                    int u = random.Next(n - 1);
                    u = u >= v ? u + 1 : u;
                    if (!chosen[..count].Contains(u))
                    {
                        chosen[count++] = u;
                    }
                }

                // Fill then heapify, all entries new.
                for (int e = 0; e < k; e++)
                {
                    _ids[(v * k) + e] = chosen[e];
                    _distances[(v * k) + e] = Distance(v, chosen[e]);
                    _new[(v * k) + e] = true;
                }

                for (int e = (k / 2) - 1; e >= 0; e--)
                {
                    SiftDown(v, e, k);
                }
            }
        }

        /// <summary>One round of sampled local joins; returns how many list entries changed.</summary>
        public long Round(Random random, int sample)
        {
            // Forward candidates: up to `sample` new entries (which become old) and all old entries.
            var newForward = new List<int>[n];
            var oldForward = new List<int>[n];
            for (int v = 0; v < n; v++)
            {
                newForward[v] = [];
                oldForward[v] = [];
                var fresh = new List<int>();
                for (int e = 0; e < k; e++)
                {
                    int slot = (v * k) + e;
                    if (_new[slot])
                    {
                        fresh.Add(slot);
                    }
                    else
                    {
                        oldForward[v].Add(_ids[slot]);
                    }
                }

                Shuffle(fresh, random);
                foreach (int slot in fresh.Take(sample))
                {
                    newForward[v].Add(_ids[slot]);
                    _new[slot] = false;
                }
            }

            // Reverse candidates, sampled to `sample` each.
            var newReverse = new List<int>[n];
            var oldReverse = new List<int>[n];
            for (int v = 0; v < n; v++)
            {
                newReverse[v] = [];
                oldReverse[v] = [];
            }

            for (int v = 0; v < n; v++)
            {
                foreach (int u in newForward[v])
                {
                    newReverse[u].Add(v);
                }

                foreach (int u in oldForward[v])
                {
                    oldReverse[u].Add(v);
                }
            }

            long updates = 0;
            var newCandidates = new List<int>();
            var oldCandidates = new List<int>();
            for (int v = 0; v < n; v++)
            {
                newCandidates.Clear();
                oldCandidates.Clear();
                newCandidates.AddRange(newForward[v]);
                oldCandidates.AddRange(oldForward[v]);
                Shuffle(newReverse[v], random);
                Shuffle(oldReverse[v], random);
                AddDistinct(newCandidates, newReverse[v], sample);
                AddDistinct(oldCandidates, oldReverse[v], sample);
                for (int i = 0; i < newCandidates.Count; i++)
                {
                    int a = newCandidates[i];
                    for (int j = i + 1; j < newCandidates.Count; j++)
                    {
                        updates += Join(a, newCandidates[j]);
                    }

                    foreach (int b in oldCandidates)
                    {
                        updates += Join(a, b);
                    }
                }
            }

            return updates;
        }

        /// <summary>Every list sorted nearest first (by distance, then index).</summary>
        public int[] Sorted()
        {
            var result = new int[n * k];
            var row = new (double, int)[k];
            for (int v = 0; v < n; v++)
            {
                for (int e = 0; e < k; e++)
                {
                    row[e] = (_distances[(v * k) + e], _ids[(v * k) + e]);
                }

                Array.Sort(row);
                for (int e = 0; e < k; e++)
                {
                    result[(v * k) + e] = row[e].Item2;
                }
            }

            return result;
        }

        private static void AddDistinct(List<int> target, List<int> source, int limit)
        {
            int added = 0;
            foreach (int u in source)
            {
                if (added == limit)
                {
                    break;
                }

                if (!target.Contains(u))
                {
                    target.Add(u);
                    added++;
                }
            }
        }

        private static void Shuffle(List<int> list, Random random)
        {
            for (int i = list.Count - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (list[i], list[j]) = (list[j], list[i]);
            }
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
            if (d > worst || (d == worst && u >= _ids[row]))
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
            SiftDown(v, 0, k);
            return 1;
        }

        private void SiftDown(int v, int i, int count)
        {
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
                (_new[row + i], _new[row + largest]) = (_new[row + largest], _new[row + i]);
                i = largest;
            }
        }

        private bool Greater(int a, int b) => _distances[a] > _distances[b] || (_distances[a] == _distances[b] && _ids[a] > _ids[b]);

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
