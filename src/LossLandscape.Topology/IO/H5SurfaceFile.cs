using LossLandscape.Topology.Landscapes;
using PureHDF;
using PureHDF.VOL.Native;

namespace LossLandscape.Topology.IO;

/// <summary>
/// The HDF5 surface files of tomgoldstein/loss-landscape (<c>plot_surface.py</c>), read with PureHDF (managed
/// code, no native HDF5 library): the coordinates in <c>xcoordinates</c> (and <c>ycoordinates</c> for a 2-D
/// surface) and one dataset per metric (<c>train_loss</c>, <c>train_acc</c>, <c>test_loss</c>, …).
/// </summary>
/// <remarks>
/// loss-landscape creates a 2-D dataset with shape (len(x), len(y)) but fills its flat index k with the point
/// (x[k mod len(x)], y[k div len(x)]) (its <c>scheduler.get_unplotted_indices</c> enumerates <c>meshgrid(x, y)</c>),
/// and its <c>plot_2D</c> reads the array back as Z[j, i] = value at (x[i], y[j]). This reader follows that
/// layout and returns a landscape whose first axis is x and second is y. Points loss-landscape had not computed
/// yet hold −1 (its marker of unfinished work).
/// </remarks>
public static class H5SurfaceFile
{
    /// <summary>The dataset read when none is named.</summary>
    public const string DefaultDataset = "train_loss";

    // An uncompressed dataset cannot need more bytes than the file has; a chunked, compressed one can, within
    // deflate's ratio. A declared size beyond that is corrupt and is refused before it is allocated.
    private const long MaxExpansion = 1100;

    private static readonly byte[] Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The names of the datasets at the file's top level, in the file's order.</summary>
    /// <exception cref="InvalidDataException">The file is not an HDF5 file.</exception>
    public static IReadOnlyList<string> DatasetNames(string path)
    {
        using NativeFile file = Open(path);
        return Datasets(file, path);
    }

    /// <summary>
    /// Reads one dataset of a surface file as a grid landscape: 1-D with axis <c>x</c> when the file has
    /// <c>xcoordinates</c> only, 2-D with axes <c>x</c> and <c>y</c> when it also has <c>ycoordinates</c>.
    /// </summary>
    /// <param name="path">The <c>.h5</c> file.</param>
    /// <param name="dataset">The metric to read (default <see cref="DefaultDataset"/>).</param>
    /// <exception cref="InvalidDataException">
    /// The file is not HDF5, has no such dataset or no <c>xcoordinates</c> (the message lists the datasets there
    /// are), the dataset is not float32/float64, or its size does not match the coordinates.
    /// </exception>
    public static Landscape ReadLandscape(string path, string dataset = DefaultDataset)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataset);
        using NativeFile file = Open(path);
        List<string> names = Datasets(file, path);
        string Missing(string what) => $"'{path}' has no dataset '{what}'; its datasets: {(names.Count == 0 ? "(none)" : string.Join(", ", names))}.";
        if (!names.Contains(dataset))
        {
            throw new InvalidDataException(Missing(dataset));
        }

        if (!names.Contains("xcoordinates"))
        {
            throw new InvalidDataException(Missing("xcoordinates") + " A loss-landscape surface file has xcoordinates (and ycoordinates for 2-D).");
        }

        long fileLength = new FileInfo(path).Length;
        double[] x = ReadDoubles(file, path, "xcoordinates", fileLength, out _);
        double[]? y = names.Contains("ycoordinates") ? ReadDoubles(file, path, "ycoordinates", fileLength, out _) : null;
        double[] values = ReadDoubles(file, path, dataset, fileLength, out ulong[] dimensions);
        long expected = (long)x.Length * (y?.Length ?? 1);
        if (values.Length != expected)
        {
            throw new InvalidDataException($"'{path}': dataset '{dataset}' has shape ({string.Join(", ", dimensions)}), {values.Length} values, but the coordinates give {x.Length}{(y is null ? string.Empty : $" × {y.Length}")} = {expected} points.");
        }

        Check(x, path, "xcoordinates");
        var xAxis = new LandscapeAxis("x", x);
        if (y is null)
        {
            return Landscape.FromGrid(values, [x.Length], [xAxis]);
        }

        Check(y, path, "ycoordinates");

        // File order: x fastest. Landscape order: the last axis (y) fastest.
        int nx = x.Length;
        int ny = y.Length;
        var transposed = new double[values.Length];
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                transposed[(i * ny) + j] = values[(j * nx) + i];
            }
        }

        return Landscape.FromGrid(transposed, [nx, ny], [xAxis, new LandscapeAxis("y", y)]);
    }

    private static NativeFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckSuperblock(path);
        try
        {
            return H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not (FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or OutOfMemoryException))
        {
            throw new InvalidDataException($"'{path}' is not an HDF5 file ({e.Message.TrimEnd('.')}).", e);
        }
    }

    // PureHDF trusts the sizes a file declares; a cut file's superblock still declares the whole length, and
    // reading structures past the end is where a damaged file makes it allocate far more than the file holds.
    // The superblock's end-of-file address (HDF5 spec, "Superblock", versions 0–3) must lie within the file.
    private static void CheckSuperblock(string path)
    {
        Span<byte> head = stackalloc byte[48];
        long length;
        using (FileStream stream = File.OpenRead(path))
        {
            length = stream.Length;
            int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            head = head[..read];
        }

        if (head.Length < 48 || !head[..8].SequenceEqual(Signature))
        {
            // Files with a user block put the superblock at 512, 1024, …; those are left to PureHDF.
            return;
        }

        byte version = head[8];
        int offsetSize = version < 2 ? head[13] : head[9];
        if (offsetSize != 8)
        {
            return; // 4-byte offsets (rare) are left to PureHDF
        }

        int eofAt = version < 2 ? 40 : 28;
        ulong eof = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(head[eofAt..]);
        ulong baseAddress = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(head[(version < 2 ? 24 : 12)..]);
        if (version > 3 || baseAddress != 0 || eof > (ulong)length)
        {
            throw new InvalidDataException($"'{path}' is truncated or damaged: its HDF5 superblock (version {version}) declares {eof} bytes{(baseAddress != 0 ? $" from base address {baseAddress}" : string.Empty)}, and the file has {length}.");
        }
    }

    private static List<string> Datasets(NativeFile file, string path)
    {
        try
        {
            return file.Children().Where(c => c is IH5Dataset).Select(c => c.Name).ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{path}' is a damaged HDF5 file ({e.Message.TrimEnd('.')}).", e);
        }
    }

    private static double[] ReadDoubles(NativeFile file, string path, string name, long fileLength, out ulong[] dimensions)
    {
        try
        {
            IH5Dataset dataset = file.Dataset(name);
            dimensions = dataset.Space.Dimensions;
            IH5DataType type = dataset.Type;
            if (type.Class != H5DataTypeClass.FloatingPoint || type.Size is not (4 or 8))
            {
                throw new InvalidDataException($"'{path}': dataset '{name}' holds {type.Class} values of {type.Size} bytes; only float64 and float32 datasets can be read.");
            }

            ulong count = 1;
            foreach (ulong d in dimensions)
            {
                count *= d;
                if (count > (ulong)Array.MaxLength || count * (ulong)type.Size > (ulong)fileLength * MaxExpansion)
                {
                    throw new InvalidDataException($"'{path}': dataset '{name}' declares shape ({string.Join(", ", dimensions)}), more than the {fileLength}-byte file can hold (corrupt file).");
                }
            }

            if (type.Size == 8)
            {
                return dataset.Read<double[]>();
            }

            float[] floats = dataset.Read<float[]>();
            return Array.ConvertAll(floats, f => (double)f);
        }
        catch (Exception e) when (e is not (InvalidDataException or OutOfMemoryException))
        {
            throw new InvalidDataException($"'{path}': dataset '{name}' cannot be read ({e.Message.TrimEnd('.')}).", e);
        }
    }

    private static void Check(double[] coordinates, string path, string name)
    {
        if (coordinates.Length == 0 || !coordinates.All(double.IsFinite))
        {
            throw new InvalidDataException($"'{path}': {name} must hold at least one coordinate, all finite.");
        }
    }
}
