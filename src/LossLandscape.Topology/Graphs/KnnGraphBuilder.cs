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

    /// <summary>The graph of points given as a flat point-major array (n × dimension).</summary>
    /// <exception cref="ArgumentException">Fewer than k + 1 points, or a length that does not split into points.</exception>
    public NeighborGraph Build(ReadOnlySpan<double> coordinates, int dimension)
        => Symmetrize(NearestNeighbors(coordinates, dimension), coordinates.Length / dimension);

    /// <summary>The k nearest neighbours of every point (row v: point v's neighbours, nearest first), without symmetrising.</summary>
    /// <exception cref="ArgumentException">Fewer than k + 1 points, or a length that does not split into points.</exception>
    public int[] NearestNeighbors(ReadOnlySpan<double> coordinates, int dimension)
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

        return n;
    }

    internal NeighborGraph Symmetrize(int[] nearest, int n)
    {
        var degree = new int[n + 1];
        for (int v = 0; v < n; v++)
        {
            for (int e = 0; e < K; e++)
            {
                int u = nearest[(v * K) + e];
                if (Symmetrization == KnnSymmetrization.Union || Contains(nearest, u, v))
                {
                    degree[v + 1]++;
                    degree[u + 1]++;
                }
            }
        }

        for (int v = 0; v < n; v++)
        {
            degree[v + 1] += degree[v];
        }

        var fill = degree.AsSpan(0, n).ToArray();
        var targets = new int[degree[n]];
        for (int v = 0; v < n; v++)
        {
            for (int e = 0; e < K; e++)
            {
                int u = nearest[(v * K) + e];
                if (Symmetrization == KnnSymmetrization.Union || Contains(nearest, u, v))
                {
                    targets[fill[v]++] = u;
                    targets[fill[u]++] = v;
                }
            }
        }

        return NeighborGraph.Compact(n, degree, targets);
    }

    private bool Contains(int[] nearest, int row, int value) => nearest.AsSpan(row * K, K).Contains(value);
}
