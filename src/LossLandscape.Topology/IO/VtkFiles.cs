using System.Globalization;
using System.Text;
using System.Xml.Linq;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.IO;

/// <summary>
/// VTK XML files that ParaView and TTK open (data arrays in VTK's inline binary format, exact to the last bit; the reader also takes ASCII): grid landscapes as
/// ImageData (.vti), graph landscapes as UnstructuredGrid with line cells (.vtu), merge trees and persistence
/// diagrams as PolyData (.vtp).
/// </summary>
/// <remarks>
/// VTK orders image points with x fastest; x, y, z are the landscape's first, second and third axes, so a 2-D
/// landscape's α₁ runs along x. Every file carries a <c>vertex</c> array with the library's flat vertex index.
/// </remarks>
public static class VtkFiles
{
    /// <summary>Writes a grid landscape of 1 to 3 uniformly spaced axes as ImageData, with optional extra point arrays.</summary>
    /// <exception cref="ArgumentException">Not a grid, more than 3 axes, or an axis that is not uniformly spaced.</exception>
    public static void WriteImageData(string path, Landscape landscape, IReadOnlyDictionary<string, Landscape>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        if (!landscape.IsGrid || landscape.Dimension > 3)
        {
            throw new ArgumentException($"ImageData holds grids of 1 to 3 axes; got {landscape}. Write other landscapes as .vtu.", nameof(landscape));
        }

        var origin = new double[3];
        var spacing = new double[] { 1, 1, 1 };
        var size = new int[] { 1, 1, 1 };
        for (int d = 0; d < landscape.Dimension; d++)
        {
            LandscapeAxis axis = landscape.Axes[d];
            size[d] = axis.Count;
            origin[d] = axis[0];
            if (axis.Count > 1)
            {
                spacing[d] = (axis[axis.Count - 1] - axis[0]) / (axis.Count - 1);
                for (int i = 1; i < axis.Count; i++)
                {
                    if (Math.Abs(axis[i] - (axis[0] + (i * spacing[d]))) > 1e-9 * Math.Max(1, Math.Abs(spacing[d]) * axis.Count))
                    {
                        throw new ArgumentException($"Axis '{axis.Name}' is not uniformly spaced (coordinate {i} is {axis[i]}); ImageData needs uniform spacing — write a .vtu instead.", nameof(landscape));
                    }
                }
            }
        }

        // VTK point order (x fastest) → our flat vertex index (last axis fastest).
        int n = landscape.Count;
        var vertexOfPoint = new int[n];
        int p = 0;
        Span<int> index = stackalloc int[3];
        for (int z = 0; z < size[2]; z++)
        {
            for (int y = 0; y < size[1]; y++)
            {
                for (int x = 0; x < size[0]; x++)
                {
                    index[0] = x;
                    index[1] = y;
                    index[2] = z;
                    vertexOfPoint[p++] = landscape.FlatIndex(index[..landscape.Dimension]);
                }
            }
        }

        string extent = $"0 {size[0] - 1} 0 {size[1] - 1} 0 {size[2] - 1}";
        var pointData = new XElement("PointData", new XAttribute("Scalars", "loss"),
            Array("loss", "Float64", vertexOfPoint.Select(v => landscape.Values[v])));
        foreach ((string name, Landscape values) in extra ?? new Dictionary<string, Landscape>())
        {
            if (values.Count != n)
            {
                throw new ArgumentException($"Extra array '{name}' has {values.Count} values for {n} points.", nameof(extra));
            }

            pointData.Add(Array(name, "Float64", vertexOfPoint.Select(v => values.Values[v])));
        }

        pointData.Add(Array("vertex", "Int64", vertexOfPoint.Select(v => (double)v)));
        var axisNames = new XElement("FieldData",
            new XElement("Array", new XAttribute("type", "String"), new XAttribute("Name", "axis_names"), new XAttribute("NumberOfTuples", landscape.Dimension), new XAttribute("format", "ascii"),
                string.Join(' ', landscape.Axes.Select(a => string.Join(' ', Encoding.UTF8.GetBytes(a.Name + "\0").Select(b => b.ToString(CultureInfo.InvariantCulture)))))));
        var image = new XElement("ImageData",
            new XAttribute("WholeExtent", extent),
            new XAttribute("Origin", Join(origin)),
            new XAttribute("Spacing", Join(spacing)),
            axisNames,
            new XElement("Piece", new XAttribute("Extent", extent), pointData));
        Save(path, "ImageData", image);
    }

    /// <summary>Reads back an ImageData file written by <see cref="WriteImageData"/> (the loss array, axes from origin and spacing).</summary>
    /// <exception cref="InvalidDataException">The file is not such an ImageData file.</exception>
    public static Landscape ReadImageData(string path)
    {
        XElement root;
        try
        {
            root = XDocument.Load(path).Root ?? throw new InvalidDataException($"'{path}' is empty.");
        }
        catch (System.Xml.XmlException e)
        {
            throw new InvalidDataException($"'{path}' is not well-formed XML: {e.Message}", e);
        }

        XElement image = root.Element("ImageData") ?? throw new InvalidDataException($"'{path}' is not a VTK ImageData file.");
        double[] extent = Numbers(image.Attribute("WholeExtent")?.Value, path, "WholeExtent", 6);
        double[] origin = Numbers(image.Attribute("Origin")?.Value ?? "0 0 0", path, "Origin", 3);
        double[] spacing = Numbers(image.Attribute("Spacing")?.Value ?? "1 1 1", path, "Spacing", 3);
        var size = new int[3];
        long count = 1;
        for (int d = 0; d < 3; d++)
        {
            double lo = extent[2 * d];
            double hi = extent[(2 * d) + 1];
            if (lo != Math.Floor(lo) || hi != Math.Floor(hi) || hi < lo || hi - lo + 1 > System.Array.MaxLength)
            {
                throw new InvalidDataException($"'{path}': WholeExtent axis {d} is {lo} … {hi}, not a range of whole numbers (corrupt file).");
            }

            if (!double.IsFinite(origin[d]) || !double.IsFinite(spacing[d]) || spacing[d] == 0)
            {
                throw new InvalidDataException($"'{path}': axis {d} has origin {origin[d]} and spacing {spacing[d]}; both must be finite and the spacing non-zero.");
            }

            size[d] = (int)(hi - lo + 1);
            count *= size[d];
            if (count > System.Array.MaxLength)
            {
                throw new InvalidDataException($"'{path}': WholeExtent {string.Join(' ', extent)} holds more points than an array can hold (corrupt file).");
            }
        }

        // The axis_names field this library writes has one tuple per landscape axis, so an N × 1 grid stays 2-D.
        int dimension = size[2] > 1 ? 3 : size[1] > 1 ? 2 : 1;
        string[]? names = AxisNames(image);
        if (names is not null && names.Length >= dimension && names.Length <= 3 && Enumerable.Range(names.Length, 3 - names.Length).All(d => size[d] == 1))
        {
            dimension = names.Length;
        }

        XElement loss = image.Descendants("DataArray").FirstOrDefault(a => (string?)a.Attribute("Name") == "loss")
            ?? image.Descendants("PointData").Elements("DataArray").FirstOrDefault()
            ?? throw new InvalidDataException($"'{path}' has no point data array.");
        double[] data = ReadFloat64(loss, path, count);
        if (data.Length != count)
        {
            throw new InvalidDataException($"'{path}': the extent holds {count} points but the array has {data.Length} values.");
        }

        int[] shape = size[..dimension];
        var values = new double[count];
        int p = 0;
        for (int z = 0; z < size[2]; z++)
        {
            for (int y = 0; y < size[1]; y++)
            {
                for (int x = 0; x < size[0]; x++)
                {
                    int flat = Math.Max(dimension, size[2] > 1 ? 3 : size[1] > 1 ? 2 : 1) switch
                    {
                        1 => x,
                        2 => (x * size[1]) + y,
                        _ => (((x * size[1]) + y) * size[2]) + z,
                    };
                    values[flat] = data[p++];
                }
            }
        }

        var axes = Enumerable.Range(0, dimension)
            .Select(d => new LandscapeAxis(names is not null && d < names.Length && names[d].Length > 0 ? names[d] : $"axis{d}", Enumerable.Range(0, shape[d]).Select(i => origin[d] + (i * spacing[d])).ToArray()))
            .ToArray();
        return Landscape.FromGridTakingValues(values, shape, axes);
    }

    /// <summary>Writes a landscape on a graph as an UnstructuredGrid: one point per vertex (first 3 coordinates), one line cell per edge.</summary>
    public static void WriteUnstructuredGrid(string path, Landscape landscape, NeighborGraph graph)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.VertexCount != landscape.Count)
        {
            throw new ArgumentException($"The graph has {graph.VertexCount} vertices but the landscape has {landscape.Count}.", nameof(graph));
        }

        var edges = new List<(int, int)>();
        for (int v = 0; v < graph.VertexCount; v++)
        {
            for (int e = graph.Offsets[v]; e < graph.Offsets[v + 1]; e++)
            {
                if (graph.Targets[e] > v)
                {
                    edges.Add((v, graph.Targets[e]));
                }
            }
        }

        var grid = new XElement("UnstructuredGrid",
            new XElement("Piece", new XAttribute("NumberOfPoints", landscape.Count), new XAttribute("NumberOfCells", edges.Count),
                Points(Enumerable.Range(0, landscape.Count).Select(v => Padded(landscape.GetCoordinates(v)))),
                LineCells(edges, unstructured: true),
                new XElement("PointData", new XAttribute("Scalars", "loss"),
                    Array("loss", "Float64", landscape.Values.ToArray()),
                    Array("vertex", "Int64", Enumerable.Range(0, landscape.Count).Select(v => (double)v)))));
        Save(path, "UnstructuredGrid", grid);
    }

    /// <summary>
    /// Writes a merge tree as PolyData: one point per node at (first two coordinates, value) — or (node id, 0, value)
    /// without a landscape — with <c>kind</c> (0 minimum, 1 saddle, 2 root), <c>value</c> and <c>vertex</c>; one line
    /// per arc with <c>region_vertex_count</c>.
    /// </summary>
    public static void WriteMergeTree(string path, MergeTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var nodes = tree.Nodes;
        IEnumerable<double[]> points = nodes.Select((node, i) =>
        {
            double z = double.IsFinite(node.Value) ? node.Value : tree.FiniteMaximum;
            if (tree.Landscape is null)
            {
                return new[] { i, 0, z };
            }

            double[] c = tree.Landscape.GetCoordinates(node.Vertex);
            return new[] { c[0], c.Length > 1 ? c[1] : 0, z };
        });
        var arcs = tree.Arcs;
        var poly = new XElement("PolyData",
            new XElement("Piece", new XAttribute("NumberOfPoints", nodes.Length), new XAttribute("NumberOfLines", arcs.Length),
                Points(points),
                LineCells(arcs.Select(a => (a.Lower, a.Upper)).ToList(), unstructured: false),
                new XElement("PointData", new XAttribute("Scalars", "value"),
                    Array("value", "Float64", nodes.Select(n => n.Value)),
                    Array("kind", "Int32", nodes.Select(n => (double)(int)n.Kind)),
                    Array("vertex", "Int64", nodes.Select(n => (double)n.Vertex))),
                new XElement("CellData",
                    Array("region_vertex_count", "Int64", arcs.Select(a => (double)a.RegionVertexCount)))));
        Save(path, "PolyData", poly);
    }

    /// <summary>
    /// Writes a persistence diagram as PolyData the way TTK draws one: for each pair a line from (birth, birth) on the
    /// diagonal to (birth, death); essential classes go up to their maximum. Cell arrays: <c>persistence</c>,
    /// <c>birth_vertex</c>, <c>death_vertex</c>, <c>essential</c> (1 for an essential class).
    /// </summary>
    public static void WritePersistenceDiagram(string path, PersistenceDiagram diagram)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        var rows = diagram.Pairs.Select(p => (p.Birth, p.Death, p.BirthVertex, p.DeathVertex, Essential: 0))
            .Concat(diagram.Essential.Select(e => (e.Birth, Death: e.Maximum, e.BirthVertex, DeathVertex: e.MaximumVertex, Essential: 1)))
            .ToList();
        var points = rows.SelectMany(r => new[] { new[] { r.Birth, r.Birth, 0.0 }, new[] { r.Birth, r.Death, 0.0 } });
        var lines = Enumerable.Range(0, rows.Count).Select(i => (2 * i, (2 * i) + 1)).ToList();
        var poly = new XElement("PolyData",
            new XElement("Piece", new XAttribute("NumberOfPoints", 2 * rows.Count), new XAttribute("NumberOfLines", rows.Count),
                Points(points),
                LineCells(lines, unstructured: false),
                new XElement("CellData", new XAttribute("Scalars", "persistence"),
                    Array("persistence", "Float64", rows.Select(r => r.Death - r.Birth)),
                    Array("birth", "Float64", rows.Select(r => r.Birth)),
                    Array("death", "Float64", rows.Select(r => r.Death)),
                    Array("birth_vertex", "Int64", rows.Select(r => (double)r.BirthVertex)),
                    Array("death_vertex", "Int64", rows.Select(r => (double)r.DeathVertex)),
                    Array("essential", "Int32", rows.Select(r => (double)r.Essential)))));
        Save(path, "PolyData", poly);
    }

    private static double[] Padded(double[] c) => [c.Length > 0 ? c[0] : 0, c.Length > 1 ? c[1] : 0, c.Length > 2 ? c[2] : 0];

    private static XElement Points(IEnumerable<double[]> points)
        => new("Points", Array("Points", "Float64", points.SelectMany(p => p), components: 3));

    private static XElement LineCells(IReadOnlyList<(int A, int B)> edges, bool unstructured)
    {
        var connectivity = Array("connectivity", "Int64", edges.SelectMany(e => new double[] { e.A, e.B }));
        var offsets = Array("offsets", "Int64", Enumerable.Range(1, edges.Count).Select(i => 2.0 * i));
        if (!unstructured)
        {
            return new XElement("Lines", connectivity, offsets);
        }

        return new XElement("Cells", connectivity, offsets, Array("types", "UInt8", Enumerable.Repeat(3.0, edges.Count)));
    }

    // Arrays are written in VTK's inline binary format: base64 of the byte count (UInt64, as header_type says),
    // then base64 of the little-endian values (the two encoded separately, as VTK and meshio write them). A quarter
    // of ASCII's size and no number formatting: the 2048² landscape's files went from 7 s to well under one.
    private static XElement Array(string name, string type, IEnumerable<double> values, int components = 1)
    {
        double[] all = values as double[] ?? values.ToArray();
        int size = type switch { "Float64" or "Int64" => 8, "Int32" => 4, "UInt8" => 1, _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown VTK type.") };
        var bytes = new byte[all.Length * size];
        Span<byte> span = bytes;
        for (int i = 0; i < all.Length; i++)
        {
            Span<byte> at = span.Slice(i * size, size);
            switch (type)
            {
                case "Float64":
                    System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(at, all[i]);
                    break;
                case "Int64":
                    System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(at, (long)all[i]);
                    break;
                case "Int32":
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(at, (int)all[i]);
                    break;
                default:
                    at[0] = (byte)all[i];
                    break;
            }
        }

        var header = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)bytes.Length);
        var element = new XElement("DataArray", new XAttribute("type", type), new XAttribute("Name", name), new XAttribute("format", "binary"),
            Convert.ToBase64String(header) + Convert.ToBase64String(bytes));
        if (components > 1)
        {
            element.Add(new XAttribute("NumberOfComponents", components));
        }

        return element;
    }

    /// <summary>The values of a Float64 DataArray, ascii or inline binary (UInt64 header).</summary>
    private static double[] ReadFloat64(XElement array, string path, long count)
    {
        string format = (string?)array.Attribute("format") ?? "ascii";
        if (format == "ascii")
        {
            return Numbers(array.Value, path);
        }

        if (format != "binary" || (string?)array.Attribute("type") != "Float64")
        {
            throw new InvalidDataException($"'{path}': the point data is a {(string?)array.Attribute("type")} array in '{format}' format; Float64 arrays in ascii or inline binary format can be read.");
        }

        string text = array.Value.Trim();
        if (text.Length < 12)
        {
            throw new InvalidDataException($"'{path}': the binary point data is too short for its header.");
        }

        try
        {
            ulong declared = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(Convert.FromBase64String(text[..12]));
            if (declared != (ulong)count * 8 || (ulong)(text.Length - 12) < declared * 4 / 3)
            {
                throw new InvalidDataException($"'{path}': the binary point data declares {declared} bytes; the extent needs {count * 8} and the text holds at most {(text.Length - 12) * 3 / 4}.");
            }

            byte[] data = Convert.FromBase64String(text[12..]);
            if (data.Length != (long)declared)
            {
                throw new InvalidDataException($"'{path}': the binary point data holds {data.Length} bytes where its header says {declared}.");
            }

            var values = new double[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(i * 8, 8));
            }

            return values;
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"'{path}': the binary point data is not base64 ({e.Message})", e);
        }
    }

    private static string Join(double[] values) => string.Join(' ', values.Select(TextNumbers.Format));

    private static double[] Numbers(string? text, string path, string attribute, int expected)
    {
        if (text is null)
        {
            throw new InvalidDataException($"'{path}' lacks the {attribute} attribute.");
        }

        double[] numbers = Numbers(text, path);
        return numbers.Length == expected
            ? numbers
            : throw new InvalidDataException($"'{path}': {attribute} holds {numbers.Length} numbers, {expected} expected.");
    }

    private static string[]? AxisNames(XElement image)
    {
        XElement? array = image.Element("FieldData")?.Elements().FirstOrDefault(a => (string?)a.Attribute("Name") == "axis_names");
        if (array is null)
        {
            return null;
        }

        var bytes = new List<byte>();
        foreach (string token in array.Value.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!byte.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out byte b))
            {
                return null;
            }

            bytes.Add(b);
        }

        string[] names = Encoding.UTF8.GetString([.. bytes]).Split('\0');
        return names.Length > 1 ? names[..^1] : null;
    }

    private static double[] Numbers(string? text, string path)
    {
        if (text is null)
        {
            throw new InvalidDataException($"'{path}' lacks a required attribute.");
        }

        return text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(t => TextNumbers.TryParse(t, out double value) ? value : throw new InvalidDataException($"'{path}' holds '{t}' where a number belongs."))
            .ToArray();
    }

    private static void Save(string path, string type, XElement content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var document = new XDocument(new XElement("VTKFile",
            new XAttribute("type", type), new XAttribute("version", "1.0"), new XAttribute("byte_order", "LittleEndian"), new XAttribute("header_type", "UInt64"),
            content));
        document.Save(path);
    }
}
