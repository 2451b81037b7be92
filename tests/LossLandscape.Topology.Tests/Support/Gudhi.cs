using System.Globalization;
using System.Text;

namespace LossLandscape.Topology.Tests.Support;

/// <summary>
/// Runs GUDHI's cubical persistence (Debian's python3-gudhi, seen by /usr/bin/python3) on 2-D grids, in one
/// Python process for a whole batch.
/// </summary>
internal static class Gudhi
{
    private const string Script = """
        import sys, gudhi, numpy as np
        lines = open(sys.argv[1]).read().split('\n')
        out = []
        i = 0
        while i < len(lines) and lines[i].strip():
            rows, cols = map(int, lines[i].split()); i += 1
            grid = np.array([[float(x) for x in lines[i + r].split()] for r in range(rows)], dtype=float).reshape(rows, cols)
            i += rows
            pairs = gudhi.CubicalComplex(top_dimensional_cells=grid).persistence()
            out.append(' '.join('%r,%r' % (b, d) for dim, (b, d) in pairs if dim == 0))
        print('\n'.join(out))
        """;

    /// <summary>Why GUDHI cannot run here, or null when it can.</summary>
    public static string? Unavailable() => SystemPython.Unavailable("gudhi", "python3-gudhi");

    /// <summary>The 0-dimensional pairs (birth, death; death +∞ for essential classes) of each grid.</summary>
    public static List<List<(double Birth, double Death)>> ZeroDimensionalPairs(IReadOnlyList<double[,]> grids)
    {
        string input = Path.GetTempFileName();
        try
        {
            var text = new StringBuilder();
            foreach (double[,] grid in grids)
            {
                text.Append(CultureInfo.InvariantCulture, $"{grid.GetLength(0)} {grid.GetLength(1)}\n");
                for (int i = 0; i < grid.GetLength(0); i++)
                {
                    for (int j = 0; j < grid.GetLength(1); j++)
                    {
                        text.Append(j == 0 ? string.Empty : " ").Append(Format(grid[i, j]));
                    }

                    text.Append('\n');
                }
            }

            File.WriteAllText(input, text.ToString());
            (int code, string output) = SystemPython.RunScript(Script, input);
            if (code != 0)
            {
                throw new InvalidOperationException($"GUDHI failed: {output}");
            }

            return output.Split('\n').Take(grids.Count).Select(ParseLine).ToList();
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static string Format(double value) => double.IsPositiveInfinity(value) ? "inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private static List<(double, double)> ParseLine(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split(','))
        .Select(p => (Parse(p[0]), Parse(p[1])))
        .ToList();

    private static double Parse(string text) => text == "inf" ? double.PositiveInfinity : double.Parse(text, CultureInfo.InvariantCulture);
}
