using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.IO;

/// <summary>
/// NumPy's <c>.npy</c> format: float64 or float32 arrays of any rank, C or Fortran order, little- or big-endian.
/// Anything else (other dtypes, object arrays, a truncated file, a shape that does not match the data) is rejected
/// with an <see cref="InvalidDataException"/> that says what was found.
/// </summary>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // NumPy writes headers of a few hundred bytes; a longer one is a corrupt length, refused before allocating it.
    private const int MaxHeaderLength = 1 << 20;

    /// <summary>Reads an array: its values in C (row-major) order, widened to double, and its shape.</summary>
    /// <exception cref="InvalidDataException">The file is not a float32/float64 .npy array, or is truncated or inconsistent.</exception>
    public static (double[] Values, int[] Shape) Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a grid landscape (index coordinates on every axis; pass axes to <see cref="Landscape.FromGrid(ReadOnlySpan{double}, ReadOnlySpan{int}, IReadOnlyList{LandscapeAxis}?)"/> for others).</summary>
    public static Landscape ReadLandscape(string path)
    {
        (double[] values, int[] shape) = Read(path);
        if (shape.Length == 0)
        {
            throw new InvalidDataException($"'{path}' holds a scalar, not a grid.");
        }

        return Landscape.FromGridTakingValues(values, shape);
    }

    /// <summary>Reads an array from a stream.</summary>
    public static (double[] Values, int[] Shape) Read(Stream stream, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(stream, prefix, name, "the header");
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{name}' is not a .npy file (missing the \\x93NUMPY magic).");
        }

        byte major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            Span<byte> length = stackalloc byte[2];
            ReadExactly(stream, length, name, "the header length");
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(length);
        }
        else if (major is 2 or 3)
        {
            Span<byte> length = stackalloc byte[4];
            ReadExactly(stream, length, name, "the header length");
            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(length);
            headerLength = declared > MaxHeaderLength
                ? throw new InvalidDataException($"'{name}' declares a {declared}-byte .npy header, more than the {MaxHeaderLength} bytes a header may have (corrupt file).")
                : (int)declared;
        }
        else
        {
            throw new InvalidDataException($"'{name}' is .npy version {major}.{prefix[7]}, which is not supported (1.x, 2.x, 3.x are).");
        }

        long left = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        if (headerLength > Math.Min(left, MaxHeaderLength))
        {
            throw new InvalidDataException(left < MaxHeaderLength
                ? $"'{name}' is truncated or corrupt: it declares a {headerLength}-byte .npy header but has {left} bytes left."
                : $"'{name}' declares a {headerLength}-byte .npy header, more than the {MaxHeaderLength} bytes a header may have (corrupt file).");
        }

        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, name, "the header");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        Dictionary<string, object> fields = NpyHeader.Parse(header, name);
        string descr = Field<string>(fields, "descr", name, header);
        bool fortran = Field<bool>(fields, "fortran_order", name, header);
        int[] shape = Field<int[]>(fields, "shape", name, header);
        (int size, bool bigEndian) = descr switch
        {
            "<f8" or "=f8" => (8, false),
            ">f8" => (8, true),
            "<f4" or "=f4" => (4, false),
            ">f4" => (4, true),
            var other => throw new InvalidDataException($"'{name}' has dtype {other}; only float64 (<f8, >f8) and float32 (<f4, >f4) arrays can be read."),
        };
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > Array.MaxLength)
            {
                throw new InvalidDataException($"'{name}' has shape ({string.Join(", ", shape)}), more elements than an array can hold.");
            }
        }

        left = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        if (count * size > left)
        {
            throw new InvalidDataException($"'{name}' is truncated: shape ({string.Join(", ", shape)}) needs {count * size} bytes of data but the file has {left} left.");
        }

        // Straight into the value array: the bytes of a little-endian float64 file are the doubles already.
        var values = new double[count];
        if (size == 8)
        {
            ReadExactly(stream, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()), name, $"the data ({count} values of 8 bytes, shape ({string.Join(", ", shape)}))");
            if (bigEndian == BitConverter.IsLittleEndian)
            {
                Span<long> bits = System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(values.AsSpan());
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
        }
        else
        {
            var floats = new float[count];
            ReadExactly(stream, System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.AsSpan()), name, $"the data ({count} values of 4 bytes, shape ({string.Join(", ", shape)}))");
            if (bigEndian == BitConverter.IsLittleEndian)
            {
                Span<int> bits = System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(floats.AsSpan());
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }

            for (long i = 0; i < count; i++)
            {
                values[i] = floats[i];
            }
        }

        if (fortran && shape.Length > 1)
        {
            values = FortranToC(values, shape);
        }

        return (values, shape);
    }

    /// <summary>Writes a float64 array in C order (format version 1.0).</summary>
    /// <exception cref="ArgumentException">The shape does not hold the number of values.</exception>
    public static void Write(string path, ReadOnlySpan<double> values, ReadOnlySpan<int> shape, bool asFloat32 = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        long count = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count *= d;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape.ToArray())}) holds {count} values but {values.Length} were given.", nameof(shape));
        }

        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape.ToArray())})";
        string dict = $"{{'descr': '{(asFloat32 ? "<f4" : "<f8")}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int total = Magic.Length + 2 + 2 + dict.Length + 1;
        int padding = (64 - (total % 64)) % 64;
        string header = dict + new string(' ', padding) + "\n";
        using var stream = File.Create(path);
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)header.Length));
        stream.Write(length);
        stream.Write(Encoding.Latin1.GetBytes(header));
        var buffer = new byte[values.Length * (asFloat32 ? 4 : 8)];
        for (int i = 0; i < values.Length; i++)
        {
            if (asFloat32)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), (float)values[i]);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(i * 8), values[i]);
            }
        }

        stream.Write(buffer);
    }

    /// <summary>Writes a grid landscape's values with its shape.</summary>
    /// <exception cref="ArgumentException">The landscape is scattered (an .npy array has no coordinates).</exception>
    public static void Write(string path, Landscape landscape)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        if (!landscape.IsGrid)
        {
            throw new ArgumentException("Only grid landscapes can be written as .npy; write scattered ones as .vtu or CSV.", nameof(landscape));
        }

        Write(path, landscape.Values, landscape.Shape);
    }

    private static T Field<T>(Dictionary<string, object> fields, string key, string name, string header)
    {
        if (!fields.TryGetValue(key, out object? value))
        {
            throw new InvalidDataException($"'{name}': the .npy header has no '{key}' entry: {header.Trim()}");
        }

        return value is T typed
            ? typed
            : throw new InvalidDataException($"'{name}': the .npy header's '{key}' is {Describe(value)}, not {(typeof(T) == typeof(bool) ? "True or False" : typeof(T) == typeof(string) ? "a string" : "a tuple of sizes")}.");
    }

    private static string Describe(object value) => value switch
    {
        string text => $"'{text}'",
        int[] tuple => $"({string.Join(", ", tuple)})",
        _ => value.ToString() ?? "?",
    };

    private static double[] FortranToC(double[] values, int[] shape)
    {
        var result = new double[values.Length];
        int k = shape.Length;
        var index = new int[k];
        for (int f = 0; f < values.Length; f++)
        {
            // f enumerates Fortran order (first index fastest); compute the C offset of the same element.
            int c = 0;
            for (int d = 0; d < k; d++)
            {
                c = (c * shape[d]) + index[d];
            }

            result[c] = values[f];
            for (int d = 0; d < k && ++index[d] == shape[d]; d++)
            {
                index[d] = 0;
            }
        }

        return result;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string name, string what)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw new InvalidDataException($"'{name}' is truncated: it ends {buffer.Length - read} bytes short of {what}.");
        }
    }
}
