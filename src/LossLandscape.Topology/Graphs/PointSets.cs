namespace LossLandscape.Topology.Graphs;

/// <summary>
/// The library's one point-set shape, <c>double[n, k]</c> (one row per point, one column per coordinate, as
/// <c>Landscape.FromPoints</c>, <c>ScatteredDesign</c> and <c>LandscapeSampler.AtPoints</c> use), turned into
/// the flat layouts the graph algorithms work on.
/// </summary>
internal static class PointSets
{
    /// <summary>The points, point-major (n × k).</summary>
    public static double[] Flatten(double[,] points, string name, out int dimension)
    {
        ArgumentNullException.ThrowIfNull(points, name);
        dimension = points.GetLength(1);
        if (dimension == 0)
        {
            throw new ArgumentException("The points have no coordinate (0 columns).", name);
        }

        var flat = new double[points.Length];
        Buffer.BlockCopy(points, 0, flat, 0, flat.Length * sizeof(double));
        return flat;
    }

    /// <summary>The two columns of planar points.</summary>
    public static (double[] X, double[] Y) Planar(double[,] points, string name)
    {
        ArgumentNullException.ThrowIfNull(points, name);
        if (points.GetLength(1) != 2)
        {
            throw new ArgumentException($"The points have {points.GetLength(1)} columns; a planar graph needs 2 (x, y).", name);
        }

        int n = points.GetLength(0);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = points[i, 0];
            y[i] = points[i, 1];
        }

        return (x, y);
    }
}
