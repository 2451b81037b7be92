using System.Globalization;
using System.Text;

namespace LossLandscape.Topology.Tests.Support;

/// <summary>
/// GUDHI's persistence of grids in every dimension (Debian's python3-gudhi), one Python process for a batch: the
/// cubical complex on top-dimensional cells (<c>CubicalComplex(top_dimensional_cells=…)</c>), and the 2-D vertex
/// construction as a simplicial complex (4-neighbour edges, each square coned off from a centre that enters with its
/// highest corner), since GUDHI 3.7 has no vertex-valued cubical complex.
/// </summary>
internal static class GudhiDiagrams
{
    private const string Script = """
        import sys, gudhi, numpy as np
        out = []
        for line in open(sys.argv[1]).read().split('\n'):
            if not line.strip():
                continue
            kind, dims, values = line.split(';')
            shape = [int(x) for x in dims.split()]
            grid = np.array([float(x) for x in values.split()], dtype=float).reshape(shape)
            if kind == 'top':
                complex_ = gudhi.CubicalComplex(top_dimensional_cells=grid)
            else:
                rows, cols = shape
                complex_ = gudhi.SimplexTree()
                vid = lambda i, j: i * cols + j
                for i in range(rows):
                    for j in range(cols):
                        complex_.insert([vid(i, j)], grid[i, j])
                for i in range(rows):
                    for j in range(cols):
                        if i + 1 < rows: complex_.insert([vid(i, j), vid(i + 1, j)], max(grid[i, j], grid[i + 1, j]))
                        if j + 1 < cols: complex_.insert([vid(i, j), vid(i, j + 1)], max(grid[i, j], grid[i, j + 1]))
                centre = rows * cols
                for i in range(rows - 1):
                    for j in range(cols - 1):
                        ring = [vid(i, j), vid(i, j + 1), vid(i + 1, j + 1), vid(i + 1, j)]
                        value = max(grid[i, j], grid[i, j + 1], grid[i + 1, j + 1], grid[i + 1, j])
                        for k in range(4):
                            complex_.insert([centre, ring[k], ring[(k + 1) % 4]], value)
                        centre += 1
            complex_.persistence()
            parts = []
            for dim in range(len(shape)):
                for b, d in complex_.persistence_intervals_in_dimension(dim):
                    parts.append('%d,%r,%r' % (dim, b, d))
            out.append(' '.join(parts))
        print('\n'.join(out))
        """;

    /// <summary>Why GUDHI cannot run here, or null when it can.</summary>
    public static string? Unavailable() => SystemPython.Unavailable("gudhi", "python3-gudhi");

    /// <summary>
    /// Per grid (values in C order with its shape), GUDHI's intervals as (dimension, birth, death): for the cubical
    /// complex on top-dimensional cells, or (<paramref name="vertexConstruction"/>, 2-D only) for the vertex construction.
    /// </summary>
    public static List<List<(int Dimension, double Birth, double Death)>> Intervals(IReadOnlyList<(double[] Values, int[] Shape)> grids, bool vertexConstruction)
    {
        string input = Path.GetTempFileName();
        try
        {
            var text = new StringBuilder();
            foreach ((double[] values, int[] shape) in grids)
            {
                text.Append(vertexConstruction ? "vertex;" : "top;").AppendJoin(' ', shape).Append(';')
                    .AppendJoin(' ', values.Select(Format)).Append('\n');
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

    private static string Format(double value) => double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private static List<(int, double, double)> ParseLine(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(part => part.Split(','))
        .Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), Parse(p[1]), Parse(p[2])))
        .ToList();

    private static double Parse(string text) => text switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, CultureInfo.InvariantCulture),
    };
}
