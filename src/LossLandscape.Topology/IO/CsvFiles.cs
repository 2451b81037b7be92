using System.Globalization;
using System.Text;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Persistence;
using static LossLandscape.Topology.IO.TextNumbers;

namespace LossLandscape.Topology.IO;

/// <summary>
/// Comma-separated files for spreadsheets and pandas (invariant culture, a header row, numbers to the last digit,
/// infinities as <c>inf</c>/<c>-inf</c> and NaN as <c>nan</c> as pandas reads them).
/// </summary>
public static class CsvFiles
{
    /// <summary>Writes the diagram: one row per pair, then the essential classes (death = their maximum, essential = 1).</summary>
    public static void WritePersistenceDiagram(string path, PersistenceDiagram diagram)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        var text = new StringBuilder("birth,death,persistence,birth_vertex,death_vertex,essential\n");
        foreach (PersistencePair p in diagram.Pairs)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Format(p.Birth)},{Format(p.Death)},{Format(p.Persistence)},{p.BirthVertex},{p.DeathVertex},0\n");
        }

        foreach (EssentialClass e in diagram.Essential)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Format(e.Birth)},{Format(e.Maximum)},{Format(e.PersistenceToMaximum)},{e.BirthVertex},{e.MaximumVertex},1\n");
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Writes the tree's nodes (id, kind, vertex, value, coordinates when known, parent node).</summary>
    public static void WriteMergeTreeNodes(string path, MergeTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        int k = tree.Landscape?.Dimension ?? 0;
        var text = new StringBuilder("id,kind,vertex,value,parent");
        for (int d = 0; d < k; d++)
        {
            text.Append(',').Append(Quote(tree.Landscape!.IsGrid ? tree.Landscape.Axes[d].Name : $"x{d}"));
        }

        text.Append('\n');
        for (int i = 0; i < tree.Nodes.Length; i++)
        {
            MergeTreeNode n = tree.Nodes[i];
            text.Append(CultureInfo.InvariantCulture, $"{i},{n.Kind.ToString().ToLowerInvariant()},{n.Vertex},{Format(n.Value)},{tree.ParentOf(i)}");
            if (k > 0)
            {
                foreach (double c in tree.GetCoordinates(i))
                {
                    text.Append(',').Append(Format(c));
                }
            }

            text.Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Writes the tree's arcs (lower node, upper node, regular vertices in the arc's region).</summary>
    public static void WriteMergeTreeArcs(string path, MergeTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var text = new StringBuilder("lower,upper,region_vertex_count\n");
        foreach (MergeTreeArc a in tree.Arcs)
        {
            text.Append(CultureInfo.InvariantCulture, $"{a.Lower},{a.Upper},{a.RegionVertexCount}\n");
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Writes metrics as a header and one row.</summary>
    public static void WriteMetrics(string path, TopologyMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        File.WriteAllText(path,
            "vertex_count,minima,boundary_minima,saddles,saddle_pairs,essential_classes,avg_persistence,avg_persistence_finite,total_persistence,maximum_persistence,persistence_entropy,essential_handling,boundary_handling\n"
            + string.Create(CultureInfo.InvariantCulture, $"{metrics.VertexCount},{metrics.MinimumCount},{metrics.BoundaryMinimumCount},{metrics.SaddleCount},{metrics.SaddlePairCount},{metrics.EssentialClassCount},{Format(metrics.AveragePersistence)},{Format(metrics.AverageFinitePersistence)},{Format(metrics.TotalPersistence)},{Format(metrics.MaximumPersistence)},{Format(metrics.PersistenceEntropy)},{metrics.EssentialClass},{metrics.BoundaryMinima}\n"));
    }

    /// <summary>Writes a landscape as one row per point: the coordinates, then the value.</summary>
    public static void WriteLandscape(string path, Landscape landscape)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        var text = new StringBuilder();
        text.Append(string.Join(',', Enumerable.Range(0, landscape.Dimension).Select(d => Quote(landscape.IsGrid ? landscape.Axes[d].Name : $"x{d}")))).Append(",loss\n");
        for (int v = 0; v < landscape.Count; v++)
        {
            foreach (double c in landscape.GetCoordinates(v))
            {
                text.Append(Format(c)).Append(',');
            }

            text.Append(Format(landscape.Values[v])).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>
    /// Reads a landscape from CSV: an optional header, then one row per point with k coordinates and the value last.
    /// A first row whose fields are all numbers is data, not a header (the axes are then named <c>x0</c>, <c>x1</c>, …);
    /// fields may be quoted as RFC 4180 says. Points on a full regular grid (every combination of the distinct
    /// coordinates, in any row order) make a grid landscape; anything else a scattered one.
    /// </summary>
    /// <exception cref="InvalidDataException">A row has the wrong number of fields or a field is not a number (named by line).</exception>
    public static Landscape ReadLandscape(string path)
    {
        string[] lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"'{path}' holds no rows.");
        }

        string[] first = SplitFields(lines[0]);
        bool hasHeader = !first.All(f => TryParse(f, out _));
        int k = first.Length - 1;
        if (k < 1)
        {
            throw new InvalidDataException($"'{path}': a row needs at least one coordinate column and a value column; the first has {first.Length} field(s).");
        }

        string[] header = hasHeader ? first.Select(h => h.Trim()).ToArray() : [.. Enumerable.Range(0, k).Select(d => $"x{d}"), "loss"];
        int skip = hasHeader ? 1 : 0;
        int n = lines.Length - skip;
        if (n < 1)
        {
            throw new InvalidDataException($"'{path}' has a header but no rows.");
        }

        var coordinates = new double[n, k];
        var values = new double[n];
        for (int r = 0; r < n; r++)
        {
            string[] fields = SplitFields(lines[r + skip]);
            if (fields.Length != k + 1)
            {
                throw new InvalidDataException($"'{path}' line {r + skip + 1}: {fields.Length} fields, expected {k + 1}.");
            }

            for (int c = 0; c <= k; c++)
            {
                if (!TryParse(fields[c], out double v))
                {
                    throw new InvalidDataException($"'{path}' line {r + skip + 1}, column '{header[c]}': '{fields[c]}' is not a number.");
                }

                if (c < k)
                {
                    if (!double.IsFinite(v))
                    {
                        throw new InvalidDataException($"'{path}' line {r + skip + 1}, column '{header[c]}': the coordinate is {fields[c]}; coordinates must be finite.");
                    }

                    coordinates[r, c] = v;
                }
                else
                {
                    values[r] = v;
                }
            }
        }

        return AsGrid(coordinates, values, header[..k]) ?? Landscape.FromPoints(coordinates, values);
    }

    /// <summary>A CSV field as RFC 4180 writes it: quoted (inner quotes doubled) when it holds a comma, quote or line break.</summary>
    internal static string Quote(string field)
        => field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Splits one CSV line into fields, undoing RFC 4180 quoting.</summary>
    internal static string[] SplitFields(string line)
    {
        if (!line.Contains('"', StringComparison.Ordinal))
        {
            return line.Split(',');
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    private static Landscape? AsGrid(double[,] coordinates, double[] values, string[] names)
    {
        int n = values.Length;
        int k = names.Length;
        var axes = new double[k][];
        long product = 1;
        for (int d = 0; d < k; d++)
        {
            axes[d] = Enumerable.Range(0, n).Select(r => coordinates[r, d]).Distinct().Order().ToArray();
            product *= axes[d].Length;
        }

        if (product != n)
        {
            return null;
        }

        var shape = axes.Select(a => a.Length).ToArray();
        var grid = new double[n];
        var seen = new bool[n];
        for (int r = 0; r < n; r++)
        {
            int flat = 0;
            for (int d = 0; d < k; d++)
            {
                flat = (flat * shape[d]) + Array.BinarySearch(axes[d], coordinates[r, d]);
            }

            if (seen[flat])
            {
                return null; // a repeated point: not a grid
            }

            seen[flat] = true;
            grid[flat] = values[r];
        }

        return Landscape.FromGrid(grid, shape, axes.Select((a, d) => new LandscapeAxis(names[d], a)).ToArray());
    }
}
