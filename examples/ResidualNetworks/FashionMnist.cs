using System.Buffers.Binary;
using System.IO.Compression;

namespace ResidualNetworks;

/// <summary>Fashion-MNIST in IDX format (gzipped or not), as Debian's dataset-fashion-mnist installs it.</summary>
internal static class FashionMnist
{
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Reads the first <paramref name="count"/> images (scaled to [0, 1]) and labels of a split.</summary>
    /// <exception cref="FileNotFoundException">The files are missing; the message says how to install them.</exception>
    public static (float[] Images, long[] Labels, int Count) Load(string folder, bool train, int count)
    {
        string prefix = train ? "train" : "t10k";
        string images = Find(folder, $"{prefix}-images-idx3-ubyte");
        string labels = Find(folder, $"{prefix}-labels-idx1-ubyte");
        byte[] imageBytes = ReadAll(images);
        byte[] labelBytes = ReadAll(labels);
        if (BinaryPrimitives.ReadInt32BigEndian(imageBytes) != 2051 || BinaryPrimitives.ReadInt32BigEndian(labelBytes) != 2049)
        {
            throw new InvalidDataException($"'{images}' / '{labels}' are not IDX image/label files.");
        }

        int available = BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(8));
        int cols = BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(12));
        int n = Math.Min(count, available);
        var pixels = new float[n * rows * cols];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = imageBytes[16 + i] / 255f;
        }

        var y = new long[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = labelBytes[8 + i];
        }

        return (pixels, y, n);
    }

    private static string Find(string folder, string name)
    {
        foreach (string candidate in new[] { Path.Combine(folder, name + ".gz"), Path.Combine(folder, name) })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"Fashion-MNIST file '{name}(.gz)' not found in '{folder}'. Install Debian's copy with `sudo apt-get install dataset-fashion-mnist` (it lands in {DebianFolder}), or pass --data <folder> with the four IDX files.");
    }

    private static byte[] ReadAll(string path)
    {
        using FileStream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
