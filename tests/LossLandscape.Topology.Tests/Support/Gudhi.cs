namespace LossLandscape.Topology.Tests.Support;

/// <summary>GUDHI's 0-dimensional cubical persistence of 2-D grids (through <see cref="GudhiDiagrams"/>, one Python process a batch).</summary>
internal static class Gudhi
{
    /// <summary>Why GUDHI cannot run here, or null when it can.</summary>
    public static string? Unavailable() => GudhiDiagrams.Unavailable();

    /// <summary>The 0-dimensional pairs (birth, death; death +∞ for essential classes) of each grid.</summary>
    public static List<List<(double Birth, double Death)>> ZeroDimensionalPairs(IReadOnlyList<double[,]> grids)
        => GudhiDiagrams.Intervals(grids.Select(g => (g.Cast<double>().ToArray(), new[] { g.GetLength(0), g.GetLength(1) })).ToList(), vertexConstruction: false)
            .Select(intervals => intervals.Where(i => i.Dimension == 0).Select(i => (i.Birth, i.Death)).ToList())
            .ToList();
}
