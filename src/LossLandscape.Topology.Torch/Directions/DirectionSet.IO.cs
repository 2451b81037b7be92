using System.Text;
using LossLandscape.Topology.Torch.Parameters;

namespace LossLandscape.Topology.Torch.Directions;

/// <summary>Saving and loading direction sets.</summary>
public sealed partial class DirectionSet
{
    // File layout (little-endian): magic "LLTDIR01"; description (length-prefixed UTF-8); parameter count; for each
    // parameter its name and rank and dimensions; direction count k; a byte saying whether a centre follows; then
    // k direction vectors and the centre, each TotalCount doubles.
    private static readonly byte[] Magic = "LLTDIR01"u8.ToArray();

    /// <summary>Writes the set to <paramref name="path"/> (a small binary format, exact to the bit).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write(Magic);
        writer.Write(Description);
        writer.Write(Layout.Count);
        for (int i = 0; i < Layout.Count; i++)
        {
            writer.Write(Layout.Names[i]);
            writer.Write(Layout.Shapes[i].Length);
            foreach (long d in Layout.Shapes[i])
            {
                writer.Write(d);
            }
        }

        writer.Write(Count);
        writer.Write(HasCentre);
        foreach (double[] direction in _directions)
        {
            WriteVector(writer, direction);
        }

        if (_centre is not null)
        {
            WriteVector(writer, _centre);
        }
    }

    /// <summary>Reads a set written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a direction set, or is truncated.</exception>
    public static DirectionSet Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException($"'{path}' is not a direction set file (bad magic).");
            }

            string description = reader.ReadString();
            int parameterCount = reader.ReadInt32();
            var names = new List<string>();
            var shapes = new List<long[]>();
            for (int i = 0; i < parameterCount; i++)
            {
                names.Add(reader.ReadString());
                int rank = reader.ReadInt32();
                var shape = new long[rank];
                for (int d = 0; d < rank; d++)
                {
                    shape[d] = reader.ReadInt64();
                }

                shapes.Add(shape);
            }

            var layout = new ParameterLayout(names, shapes);
            int count = reader.ReadInt32();
            bool hasCentre = reader.ReadBoolean();
            var directions = new double[count][];
            for (int i = 0; i < count; i++)
            {
                directions[i] = ReadVector(reader, layout.TotalCount);
            }

            double[]? centre = hasCentre ? ReadVector(reader, layout.TotalCount) : null;
            return new DirectionSet(layout, directions, centre, description);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"'{path}' ends before the direction set does (truncated file).", e);
        }
    }

    private static void WriteVector(BinaryWriter writer, double[] vector)
    {
        foreach (double v in vector)
        {
            writer.Write(v);
        }
    }

    private static double[] ReadVector(BinaryReader reader, long length)
    {
        var vector = new double[length];
        for (long i = 0; i < length; i++)
        {
            vector[i] = reader.ReadDouble();
        }

        return vector;
    }
}
