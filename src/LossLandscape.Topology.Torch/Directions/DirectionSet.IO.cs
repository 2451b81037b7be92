using System.Text;
using LossLandscape.Topology.Torch.Parameters;

namespace LossLandscape.Topology.Torch.Directions;

/// <summary>Saving and loading direction sets.</summary>
public sealed partial class DirectionSet
{
    // File layout (little-endian): magic "LLTDIR01"; description (length-prefixed UTF-8); parameter count; for each
    // parameter its name and rank and dimensions; direction count k; a byte saying whether a center follows; then
    // k direction vectors and the center, each TotalCount doubles.
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
        writer.Write(HasCenter);
        foreach (double[] direction in _directions)
        {
            WriteVector(writer, direction);
        }

        if (_center is not null)
        {
            WriteVector(writer, _center);
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

            // Every declared count is checked against the bytes left before anything is allocated for it.
            if (parameterCount < 0 || parameterCount > Remaining(stream) / 5)
            {
                throw new InvalidDataException($"'{path}' declares {parameterCount} parameters, which its {stream.Length} bytes cannot hold (corrupt header).");
            }

            var names = new List<string>();
            var shapes = new List<long[]>();
            for (int i = 0; i < parameterCount; i++)
            {
                names.Add(reader.ReadString());
                int rank = reader.ReadInt32();
                if (rank < 0 || rank > 64 || rank > Remaining(stream) / 8)
                {
                    throw new InvalidDataException($"'{path}': parameter {i} declares rank {rank} (corrupt header).");
                }

                var shape = new long[rank];
                for (int d = 0; d < rank; d++)
                {
                    shape[d] = reader.ReadInt64();
                    if (shape[d] < 0 || shape[d] > Remaining(stream) / 8)
                    {
                        throw new InvalidDataException($"'{path}': parameter {i} declares dimension {shape[d]}, more than the file holds (corrupt header).");
                    }
                }

                shapes.Add(shape);
            }

            var layout = new ParameterLayout(names, shapes);
            int count = reader.ReadInt32();
            bool hasCentre = reader.ReadBoolean();
            long vectors = (long)count + (hasCentre ? 1 : 0);
            if (count < 0 || layout.TotalCount > Array.MaxLength || (layout.TotalCount > 0 && vectors > Remaining(stream) / (8 * layout.TotalCount)))
            {
                throw new InvalidDataException($"'{path}' declares {count} direction(s) of {layout.TotalCount} values{(hasCentre ? " and a center" : "")}, more than its {stream.Length} bytes hold (truncated or corrupt).");
            }

            var directions = new double[count][];
            for (int i = 0; i < count; i++)
            {
                directions[i] = ReadVector(reader, layout.TotalCount);
            }

            double[]? center = hasCentre ? ReadVector(reader, layout.TotalCount) : null;
            return new DirectionSet(layout, directions, center, description);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException or FormatException)
        {
            throw new InvalidDataException($"'{path}' is not a valid direction set file: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"'{path}' ends before the direction set does (truncated file).", e);
        }
    }

    private static long Remaining(Stream stream) => stream.Length - stream.Position;

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
        Span<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan());
        reader.BaseStream.ReadExactly(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            for (long i = 0; i < length; i++)
            {
                vector[i] = BitConverter.Int64BitsToDouble(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(BitConverter.DoubleToInt64Bits(vector[i])));
            }
        }

        return vector;
    }
}
