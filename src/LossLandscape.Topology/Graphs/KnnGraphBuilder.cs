using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Graphs;

/// <summary>
/// The k-nearest-neighbour graph of a landscape's sample coordinates (the paper's representation for
/// unstructured landscapes, k = 8), exact, through a k-d tree. Distances are Euclidean in the subspace
/// coordinates; ties are broken by vertex index, so on an interior point of a regular 2-D grid k = 8 gives exactly
/// the 8-neighbour stencil.
/// </summary>
public sealed class KnnGraphBuilder : IGraphBuilder
{
    /// <summary>Creates a builder.</summary>
    /// <param name="k">Neighbours per point; 8 by default (the paper's).</param>
    /// <param name="symmetrization">How the directed relation becomes undirected; union by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public KnnGraphBuilder(int k = 8, KnnSymmetrization symmetrization = KnnSymmetrization.Union)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (!Enum.IsDefined(symmetrization))
        {
            throw new ArgumentOutOfRangeException(nameof(symmetrization), symmetrization, "Unknown kNN symmetrization.");
        }

        K = k;
        Symmetrization = symmetrization;
    }

    /// <summary>Neighbours per point.</summary>
    public int K { get; }

    /// <summary>How the relation is made undirected.</summary>
    public KnnSymmetrization Symmetrization { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The landscape has k or fewer points.</exception>
    public NeighborGraph Build(Landscape landscape)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        int n = landscape.Count;
        if (K >= n)
        {
            throw new ArgumentException($"k = {K} needs more than {K} points; the landscape has {n}.", nameof(landscape));
        }

        return Build(landscape.FlatCoordinates(), landscape.Dimension);
    }

    /// <summary>The graph of points, one row per point.</summary>
    /// <exception cref="ArgumentException">Fewer than k + 1 points, no column, or a non-finite coordinate.</exception>
    public NeighborGraph Build(double[,] points) => Build(PointSets.Flatten(points, nameof(points), out int dimension), dimension);

    /// <summary>The graph of points given as a flat point-major array (n × dimension).</summary>
    /// <exception cref="ArgumentException">Fewer than k + 1 points, or a length that does not split into points.</exception>
    internal NeighborGraph Build(ReadOnlySpan<double> coordinates, int dimension)
        => Symmetrize(NearestNeighbors(coordinates, dimension), coordinates.Length / dimension);

    /// <summary>The k nearest neighbours of every point (row v: point v's neighbours, nearest first), without symmetrising.</summary>
    /// <exception cref="ArgumentException">Fewer than k + 1 points, or a length that does not split into points.</exception>
    public int[] NearestNeighbors(double[,] points) => NearestNeighbors(PointSets.Flatten(points, nameof(points), out int dimension), dimension);

    internal int[] NearestNeighbors(ReadOnlySpan<double> coordinates, int dimension)
    {
        int n = CheckPoints(coordinates, dimension, K);
        var tree = new KdTree(coordinates, dimension);
        int[] nearest = new int[n * K];
        double[] points = coordinates.ToArray(); // the parallel body cannot capture a span
        Parallel.For(0, n, () => new double[K], (v, _, scratch) =>
        {
            tree.Nearest(points, v, nearest.AsSpan(v * K, K), scratch);
            return scratch;
        }, _ => { });
        return nearest;
    }

    private static int FirstNonFinite(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Checks a flat point-major array of points for a k-nearest-neighbour search and returns the point count.</summary>
    internal static int CheckPoints(ReadOnlySpan<double> coordinates, int dimension, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (coordinates.Length % dimension != 0)
        {
            throw new ArgumentException($"{coordinates.Length} coordinates do not split into points of dimension {dimension}.", nameof(coordinates));
        }

        int n = coordinates.Length / dimension;
        if (k >= n)
        {
            throw new ArgumentException($"k = {k} needs more than {k} points; got {n}.", nameof(coordinates));
        }

        int bad = FirstNonFinite(coordinates);
        if (bad >= 0)
        {
            throw new ArgumentException($"Coordinate {bad % dimension} of point {bad / dimension} is {coordinates[bad]}; coordinates must be finite.", nameof(coordinates));
        }

        return n;
    }

    /// <summary>
    /// The undirected graph of the directed lists. Row v holds v's kept entries, then every u that keeps v. The points
    /// are split into blocks (one per core); each block counts, then writes, its own rows' forward entries and its own
    /// reverse slots, placed after those of the blocks before it, so no two threads share a slot and nothing is atomic.
    /// </summary>
    internal NeighborGraph Symmetrize(int[] nearest, int n)
    {
        int blocks = Math.Clamp(Environment.ProcessorCount, 1, 8);
        int BlockStart(int b) => (int)((long)n * b / blocks);
        bool[] keep = new bool[nearest.Length];
        var forward = new int[n];
        var counts = new int[blocks][];
        Parallel.For(0, blocks, b =>
        {
            int[] count = counts[b] = new int[n];
            for (int u = BlockStart(b); u < BlockStart(b + 1); u++)
            {
                for (int e = 0; e < K; e++)
                {
                    int v = nearest[(u * K) + e];
                    if (Symmetrization == KnnSymmetrization.Union || Contains(nearest, v, u))
                    {
                        keep[(u * K) + e] = true;
                        forward[u]++;
                        count[v]++;
                    }
                }
            }
        });

        var offsets = new int[n + 1];
        for (int v = 0; v < n; v++)
        {
            int length = forward[v];
            for (int b = 0; b < blocks; b++)
            {
                length += counts[b][v];
            }

            offsets[v + 1] = offsets[v] + length;
        }

        // Each block's first reverse slot in every row.
        Parallel.For(0, blocks, part =>
        {
            for (int v = BlockStart(part); v < BlockStart(part + 1); v++)
            {
                int next = offsets[v] + forward[v];
                for (int b = 0; b < blocks; b++)
                {
                    int c = counts[b][v];
                    counts[b][v] = next;
                    next += c;
                }
            }
        });

        var targets = new int[offsets[n]];
        Parallel.For(0, blocks, b =>
        {
            int[] next = counts[b];
            for (int u = BlockStart(b); u < BlockStart(b + 1); u++)
            {
                int own = offsets[u];
                for (int e = 0; e < K; e++)
                {
                    if (keep[(u * K) + e])
                    {
                        int v = nearest[(u * K) + e];
                        targets[own++] = v;
                        targets[next[v]++] = u;
                    }
                }
            }
        });

        return NeighborGraph.Compact(n, offsets, targets);
    }

    private bool Contains(int[] nearest, int row, int value) => nearest.AsSpan(row * K, K).Contains(value);
}
