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
                # The vertex construction as a simplicial complex of the same homotopy type at every level: axis
                # edges, each square coned from a centre and each cube coned from a centre over its faces' cones,
                # every cone entering with its cell's highest corner.
                import itertools
                nd = len(shape)
                strides = [int(np.prod(shape[d + 1:])) for d in range(nd)]
                flat = lambda idx: sum(i * s for i, s in zip(idx, strides))
                complex_ = gudhi.SimplexTree()
                for idx in itertools.product(*[range(n) for n in shape]):
                    complex_.insert([flat(idx)], grid[idx])
                centres = {}
                next_id = int(np.prod(shape))
                def ring(base, axes):
                    a, b = axes
                    steps = [(0, 0), (1, 0), (1, 1), (0, 1)]
                    out = []
                    for da, db in steps:
                        p = list(base); p[a] += da; p[b] += db
                        out.append(flat(p))
                    return out
                for k in range(1, nd + 1):
                    for axes in itertools.combinations(range(nd), k):
                        for base in itertools.product(*[range(n - (1 if d in axes else 0)) for d, n in enumerate(shape)]):
                            corners = []
                            for offs in itertools.product([0, 1], repeat=k):
                                p = list(base)
                                for a, o in zip(axes, offs):
                                    p[a] += o
                                corners.append(tuple(p))
                            value = max(grid[c] for c in corners)
                            if k == 1:
                                complex_.insert([flat(corners[0]), flat(corners[1])], value)
                            elif k == 2:
                                centre = next_id; next_id += 1
                                centres[(tuple(base), axes)] = centre
                                r = ring(base, axes)
                                for i in range(4):
                                    complex_.insert([centre, r[i], r[(i + 1) % 4]], value)
                            else:
                                centre = next_id; next_id += 1
                                for fixed in axes:
                                    rest = tuple(a for a in axes if a != fixed)
                                    for side in (0, 1):
                                        fb = list(base); fb[fixed] += side
                                        fc = centres[(tuple(fb), rest)]
                                        r = ring(fb, rest)
                                        for i in range(4):
                                            complex_.insert([centre, fc, r[i], r[(i + 1) % 4]], value)
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
    /// complex on top-dimensional cells, or (<paramref name="vertexConstruction"/>) for the vertex construction.
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
