using System.IO.Compression;
using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.IO;

/// <summary>
/// NumPy's <c>.npz</c> archives (<c>numpy.savez</c>, <c>numpy.savez_compressed</c>): a zip of <c>.npy</c> arrays,
/// each read as <see cref="NpyFile"/> reads one. Vis4SciML/Landscaper saves its landscapes this way
/// (<c>LossLandscape.save</c>: the array <c>loss</c>, indexed <c>loss[i0, i1, …]</c> by the step along each
/// direction, and <c>coordinates</c>, one row of coordinates per direction).
/// </summary>
public static class NpzFile
{
    /// <summary>The array a landscape is read from when none is named: Landscaper's name for it.</summary>
    public const string DefaultArray = "loss";

    /// <summary>The array whose rows give the coordinates along each axis, when the archive has one of matching shape.</summary>
    public const string CoordinatesArray = "coordinates";

    // Deflate expands at most about 1032:1; an entry declaring more than this is corrupt (or a zip bomb),
    // refused before its declared size is allocated.
    private const long MaxExpansion = 1100;

    /// <summary>The names of the arrays in the archive (entry names without <c>.npy</c>), in archive order.</summary>
    /// <exception cref="InvalidDataException">The file is not a zip archive.</exception>
    public static IReadOnlyList<string> ArrayNames(string path) => Guard(path, () =>
    {
        using ZipArchive archive = Open(path);
        return Names(archive);
    });

    /// <summary>Reads one array: its values in C order, widened to double, and its shape.</summary>
    /// <param name="path">The <c>.npz</c> file.</param>
    /// <param name="array">The array's name, as given to <c>numpy.savez</c>.</param>
    /// <exception cref="InvalidDataException">The archive has no such array (the message lists the arrays it has), or the array is not a float32/float64 array.</exception>
    public static (double[] Values, int[] Shape) Read(string path, string array)
    {
        ArgumentException.ThrowIfNullOrEmpty(array);
        return Guard(path, () =>
        {
            using ZipArchive archive = Open(path);
            return ReadEntry(archive, path, array);
        });
    }

    /// <summary>
    /// Reads a grid landscape from one array of the archive: by default <see cref="DefaultArray"/>, or the only
    /// array when there is one. The axes take their coordinates from <see cref="CoordinatesArray"/> when it is a
    /// (dimension × n) array matching a shape whose axes all have n samples (Landscaper's layout), else indices.
    /// </summary>
    /// <param name="path">The <c>.npz</c> file.</param>
    /// <param name="array">The array to read; null for the default.</param>
    /// <exception cref="InvalidDataException">The array is missing (the message lists the arrays there are), holds a scalar, or is not float32/float64.</exception>
    public static Landscape ReadLandscape(string path, string? array = null) => Guard(path, () => ReadUnguarded(path, array));

    private static Landscape ReadUnguarded(string path, string? array)
    {
        using ZipArchive archive = Open(path);
        IReadOnlyList<string> names = Names(archive);
        string chosen = array ?? (names.Contains(DefaultArray) ? DefaultArray
            : names.Count == 1 ? names[0]
            : throw new InvalidDataException($"'{path}' has no array '{DefaultArray}'; name one of its arrays: {Listing(names)}."));
        (double[] values, int[] shape) = ReadEntry(archive, path, chosen);
        if (shape.Length == 0)
        {
            throw new InvalidDataException($"'{path}': array '{chosen}' holds a scalar, not a grid.");
        }

        IReadOnlyList<LandscapeAxis>? axes = null;
        if (chosen != CoordinatesArray && names.Contains(CoordinatesArray))
        {
            (double[] coordinates, int[] coordinateShape) = ReadEntry(archive, path, CoordinatesArray);
            bool matches = coordinateShape.Length == 2 && coordinateShape[0] == shape.Length && shape.All(n => n == coordinateShape[1])
                && coordinates.All(double.IsFinite);
            if (matches)
            {
                int n = coordinateShape[1];
                axes = Enumerable.Range(0, shape.Length)
                    .Select(d => new LandscapeAxis($"alpha{d + 1}", coordinates.AsSpan(d * n, n).ToArray()))
                    .ToArray();
            }
        }

        return Landscape.FromGridTakingValues(values, shape, axes);
    }

    // The zip reader finds some damage only while listing or inflating entries, with its own messages and types.
    private static T Guard<T>(string path, Func<T> read)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return read();
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}' is a damaged .npz archive ({e.Message.TrimEnd('.')}).", e);
        }
        catch (Exception e) when (e is NotSupportedException or EndOfStreamException || (e is IOException && e is not (FileNotFoundException or DirectoryNotFoundException)))
        {
            throw new InvalidDataException($"'{path}' is a damaged .npz archive ({e.Message.TrimEnd('.')}).", e);
        }
    }

    private static ZipArchive Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream stream = File.OpenRead(path);
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new InvalidDataException($"'{path}' is not an .npz archive (not a zip file: {e.Message})", e);
        }
    }

    private static List<string> Names(ZipArchive archive)
        => archive.Entries.Select(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal) ? e.FullName[..^4] : e.FullName).ToList();

    private static string Listing(IReadOnlyList<string> names) => names.Count == 0 ? "(none: the archive is empty)" : string.Join(", ", names);

    private static (double[] Values, int[] Shape) ReadEntry(ZipArchive archive, string path, string array)
    {
        ZipArchiveEntry entry = archive.GetEntry(array + ".npy") ?? archive.GetEntry(array)
            ?? throw new InvalidDataException($"'{path}' has no array '{array}'; its arrays: {Listing(Names(archive))}.");
        if (entry.Length > (entry.CompressedLength * MaxExpansion) + 4096)
        {
            throw new InvalidDataException($"'{path}': array '{array}' declares {entry.Length} bytes from {entry.CompressedLength} compressed ones, more than deflate can expand to (corrupt archive).");
        }

        try
        {
            using Stream data = new KnownLengthStream(entry.Open(), entry.Length);
            return NpyFile.Read(data, $"{path} (array {array})");
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}': array '{array}': {e.Message}", e);
        }
    }
}
