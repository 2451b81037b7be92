using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Graphs;

/// <summary>
/// The edges of the 2-D Delaunay triangulation of a landscape's sample coordinates (written for this library: a
/// sweep-hull triangulation with flips; see the remarks of the type it uses). Robust to collinear and cocircular
/// input such as regular grids: cocircular quadruples keep one diagonal, all-collinear input becomes a path, and
/// coinciding points are joined to the point they coincide with.
/// </summary>
public sealed class DelaunayGraphBuilder : IGraphBuilder
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The landscape is not 2-dimensional.</exception>
    public NeighborGraph Build(Landscape landscape)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        (double[] x, double[] y) = Coordinates(landscape);
        return Build(x, y);
    }

    /// <summary>The Delaunay graph of planar points, one row (x, y) per point.</summary>
    /// <exception cref="ArgumentException">The points do not have 2 columns, or hold a non-finite coordinate.</exception>
    public NeighborGraph Build(double[,] points)
    {
        (double[] x, double[] y) = PointSets.Planar(points, nameof(points));
        return Build(x, y);
    }

    internal static NeighborGraph Build(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var triangulation = Triangulate(x, y);
        var edges = new List<(int, int)>();
        AddTriangulationEdges(triangulation, edges, keep: null);
        return NeighborGraph.FromEdges(x.Length, edges.ToArray());
    }

    internal static Delaunay Triangulate(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Got {x.Length} x and {y.Length} y coordinates.", nameof(y));
        }

        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
            {
                throw new ArgumentException($"Point {i} has a non-finite coordinate ({x[i]}, {y[i]}).", nameof(x));
            }
        }

        // Scale by a power of two so the largest coordinate is near 1: exact (every predicate keeps its sign), and
        // squares in the circle tests neither overflow (coordinates ≥ 1e80) nor underflow (spans ≤ 1e-80).
        double largest = 0;
        for (int i = 0; i < x.Length; i++)
        {
            largest = Math.Max(largest, Math.Max(Math.Abs(x[i]), Math.Abs(y[i])));
        }

        if (largest == 0)
        {
            return new Delaunay(x, y);
        }

        double factor = Math.ScaleB(1, -Math.ILogB(largest));
        double[] xs = x.ToArray();
        double[] ys = y.ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] *= factor;
            ys[i] *= factor;
        }

        return new Delaunay(xs, ys);
    }

    internal static (double[] X, double[] Y) Coordinates(Landscape landscape)
    {
        if (landscape.Dimension != 2)
        {
            throw new ArgumentException($"Triangulations are built in 2-D; this landscape is {landscape.Dimension}-D. Use KnnGraphBuilder for other dimensions.", nameof(landscape));
        }

        var x = new double[landscape.Count];
        var y = new double[landscape.Count];
        Span<double> point = stackalloc double[2];
        for (int v = 0; v < landscape.Count; v++)
        {
            landscape.GetCoordinates(v, point);
            x[v] = point[0];
            y[v] = point[1];
        }

        return (x, y);
    }

    /// <summary>
    /// Adds every triangulation edge (once), the path of collinear input, and the joins of duplicate and skipped
    /// points; <paramref name="keep"/>, when given, filters the triangle edges (edge index, opposite half-edge).
    /// </summary>
    internal static void AddTriangulationEdges(Delaunay d, List<(int, int)> edges, Func<int, bool>? keep)
    {
        if (d.IsCollinear)
        {
            int[] order = d.LineOrder;
            for (int i = 1; i < order.Length; i++)
            {
                edges.Add((order[i - 1], order[i]));
            }

            return;
        }

        ReadOnlySpan<int> triangles = d.Triangles;
        ReadOnlySpan<int> halfedges = d.Halfedges;
        for (int e = 0; e < triangles.Length; e++)
        {
            if (halfedges[e] < e && (keep is null || keep(e)))
            {
                int next = e % 3 == 2 ? e - 2 : e + 1;
                edges.Add((triangles[e], triangles[next]));
            }
        }

        for (int i = 0; i < d.DuplicateOf.Length; i++)
        {
            if (d.DuplicateOf[i] >= 0)
            {
                edges.Add((i, d.DuplicateOf[i]));
            }
        }

        foreach (int i in d.Skipped)
        {
            edges.Add((i, d.NearestTriangulated(i)));
        }
    }
}

/// <summary>
/// The Gabriel graph (Gabriel and Sokal): the edges (p, q) whose closed diametral disc holds no other point — so the
/// diagonals of a grid square, whose other corners lie on that circle, are not edges. Every such edge is a Delaunay
/// edge, and for a Delaunay edge only the opposite vertices of its (at most two) triangles need checking.
/// </summary>
public sealed class GabrielGraphBuilder : IGraphBuilder
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The landscape is not 2-dimensional.</exception>
    public NeighborGraph Build(Landscape landscape)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        (double[] x, double[] y) = DelaunayGraphBuilder.Coordinates(landscape);
        return Build(x, y);
    }

    /// <summary>The Gabriel graph of planar points, one row (x, y) per point.</summary>
    /// <exception cref="ArgumentException">The points do not have 2 columns, or hold a non-finite coordinate.</exception>
    public NeighborGraph Build(double[,] points)
    {
        (double[] x, double[] y) = PointSets.Planar(points, nameof(points));
        return Build(x, y);
    }

    internal static NeighborGraph Build(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Delaunay d = DelaunayGraphBuilder.Triangulate(x, y);
        double[] xs = d.X;
        double[] ys = d.Y;
        int[] triangles = d.Triangles.ToArray();
        int[] halfedges = d.Halfedges.ToArray();
        bool Outside(int p, int q, int r) => ((xs[p] - xs[r]) * (xs[q] - xs[r])) + ((ys[p] - ys[r]) * (ys[q] - ys[r])) > 0;
        int Opposite(int e) => triangles[e % 3 == 0 ? e + 2 : e - 1];
        bool Keep(int e)
        {
            int next = e % 3 == 2 ? e - 2 : e + 1;
            int p = triangles[e];
            int q = triangles[next];
            return Outside(p, q, Opposite(e)) && (halfedges[e] < 0 || Outside(p, q, Opposite(halfedges[e])));
        }

        var edges = new List<(int, int)>();
        DelaunayGraphBuilder.AddTriangulationEdges(d, edges, Keep);
        return NeighborGraph.FromEdges(x.Length, edges.ToArray());
    }
}
