using System.Globalization;
using System.Text;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Tests.Support;

/// <summary>
/// Seeded generator of malformed landscape files: valid .npy/.npz/.vti/.csv (and .h5) files mutated by truncation, bit flips,
/// byte runs, header rewrites (huge or wrapping sizes, odd dtypes, quoted keys inside strings) and text edits.
/// </summary>
public static class MalformedFiles
{
    /// <summary>Damaged loss-landscape .h5 surface files: cut, bit-flipped or overwritten with random runs.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> GenerateH5(int seed, int count)
    {
        var random = new Random(seed);
        byte[] h5 = ValidH5();
        for (int i = 0; i < count; i++)
        {
            yield return ($"m{i}.h5", MutateBinary(h5, random));
        }
    }

    public static IEnumerable<(string Name, byte[] Bytes)> Generate(int seed, int countPerKind)
    {
        var random = new Random(seed);
        byte[] npy = ValidNpy();
        byte[] vti = ValidVti();
        byte[] csv = Encoding.UTF8.GetBytes("a,b,loss\n0,0,1\n0,1,2\n1,0,3\n1,1,4\n");
        for (int i = 0; i < countPerKind; i++)
        {
            yield return ($"m{i}.npz", Zip(random.Next(4) == 0 ? npy : MutateNpy(npy, random), random));
            yield return ($"m{i}.npy", MutateNpy(npy, random));
            yield return ($"m{i}.vti", MutateText(vti, random, VtiEdits));
            yield return ($"m{i}.csv", MutateText(csv, random, CsvEdits));
        }
    }

    private static readonly string[] NpyHeaders =
    [
        "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (65536, 65536), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
        "{'descr': \"<f8 'shape': (1,)\", 'fortran_order': False, 'shape': (4,), }",
        "{'descr': '<i4', 'fortran_order': False, 'shape': (4,), }",
        "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (4,), }",
        "{'descr': '<f8', 'fortran_order': maybe, 'shape': (4,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (4,)",
        "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (4,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), }",
        "",
    ];

    private static readonly (string From, string To)[] VtiEdits =
    [
        ("WholeExtent=\"0 2 0 3 0 0\"", "WholeExtent=\"0 2 0\""),
        ("WholeExtent=\"0 2 0 3 0 0\"", "WholeExtent=\"0 2147483647 0 2147483647 0 2147483647\""),
        ("WholeExtent=\"0 2 0 3 0 0\"", "WholeExtent=\"0 -5 0 3 0 0\""),
        ("WholeExtent=\"0 2 0 3 0 0\"", "WholeExtent=\"0 1e300 0 3 0 0\""),
        ("WholeExtent=\"0 2 0 3 0 0\"", "WholeExtent=\"0 2.5 0 3 0 0\""),
        ("Spacing=\"", "Spacing=\"1 "),
        ("Spacing=\"1 1 1\"", "Spacing=\"1\""),
        ("Origin=\"0 0 0\"", "Origin=\"0 0\""),
        ("Origin=\"0 0 0\"", "Origin=\"nan 0 0\""),
        ("<DataArray", "<DataArrayX"),
        ("</VTKFile>", ""),
        ("format=\"ascii\"", "format=\"binary\""),
        ("<PointData", "<!-- "),
        ("ImageData", "PolyData"),
        ("\"", "'"),
        ("1", "x"),
    ];

    private static readonly (string From, string To)[] CsvEdits =
    [
        ("a,b,loss\n", ""),
        ("0,0,1\n", "0,0\n"),
        ("0,1,2", "0,1,2,3"),
        ("1,1,4", "1,1,abc"),
        ("1,0,3", "nan,0,3"),
        ("1,0,3", "inf,0,3"),
        ("a,b", "\"a,b\""),
        ("a,b,loss", "loss"),
        ("\n", "\r\n"),
        (",", ";"),
        ("0", "1e400"),
    ];

    private static byte[] ValidNpy()
    {
        string path = Path.GetTempFileName();
        try
        {
            NpyFile.Write(path, Landscape.FromGrid(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }));
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] ValidVti()
    {
        string path = Path.GetTempFileName() + ".vti";
        try
        {
            VtkFiles.WriteImageData(path, Landscape.FromGrid(Enumerable.Range(0, 12).Select(v => (double)v).ToArray(), [3, 4]));
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // An .npz holding the (possibly malformed) array, stored or deflated; a quarter of them then cut or flipped.
    private static byte[] Zip(byte[] npy, Random random)
    {
        using var buffer = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            var level = random.Next(2) == 0 ? System.IO.Compression.CompressionLevel.NoCompression : System.IO.Compression.CompressionLevel.Optimal;
            using Stream entry = archive.CreateEntry("loss.npy", level).Open();
            entry.Write(npy);
        }

        byte[] zip = buffer.ToArray();
        return random.Next(4) == 0 ? MutateBinary(zip, random) : zip;
    }

    // A loss-landscape surface file (x, y coordinates and train_loss), written by PureHDF.
    private static byte[] ValidH5()
    {
        string path = Path.GetTempFileName() + ".h5";
        try
        {
            new PureHDF.H5File { ["xcoordinates"] = new[] { -1.0, 0, 1 }, ["ycoordinates"] = new[] { -1.0, 1 }, ["train_loss"] = new double[,] { { 1, 0, 1 }, { 2, 1, 2 } } }.Write(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] MutateBinary(byte[] valid, Random random)
    {
        byte[] copy = (byte[])valid.Clone();
        switch (random.Next(3))
        {
            case 0:
                return copy[..random.Next(copy.Length)];
            case 1:
                for (int f = random.Next(1, 6); f > 0; f--)
                {
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return copy;
            default:
                // A run of random bytes over the structure (lengths, addresses, sizes).
                int at = random.Next(copy.Length);
                for (int k = at; k < Math.Min(copy.Length, at + random.Next(1, 16)); k++)
                {
                    copy[k] = (byte)random.Next(256);
                }

                return copy;
        }
    }

    private static byte[] MutateNpy(byte[] valid, Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                return valid[..random.Next(valid.Length)]; // truncated anywhere
            case 1:
            {
                byte[] flipped = (byte[])valid.Clone();
                for (int f = random.Next(1, 4); f > 0; f--)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }

                return flipped;
            }

            case 2:
            {
                // Version 2 with a wild 32-bit header length.
                byte[] v2 = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0, 0, 0, 0, .. new byte[random.Next(0, 64)]];
                uint length = random.Next(3) switch { 0 => 0x7FFFFFFF, 1 => 0xFFFFFFFF, _ => (uint)random.Next() };
                BitConverter.GetBytes(length).CopyTo(v2, 8);
                return v2;
            }

            case 3:
            {
                string header = NpyHeaders[random.Next(NpyHeaders.Length)];
                string padded = header + new string(' ', Math.Max(0, 117 - header.Length)) + "\n";
                byte[] bytes = Encoding.Latin1.GetBytes(padded);
                byte[] data = new byte[random.Next(0, 64)];
                random.NextBytes(data);
                return [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(bytes.Length & 0xFF), (byte)(bytes.Length >> 8), .. bytes, .. data];
            }

            case 4:
            {
                byte[] noise = new byte[random.Next(0, 300)];
                random.NextBytes(noise);
                return noise;
            }

            default:
            {
                byte[] appended = [.. valid, .. new byte[random.Next(1, 40)]];
                appended[8] = (byte)random.Next(256); // header length byte changed
                return appended;
            }
        }
    }

    private static byte[] MutateText(byte[] valid, Random random, (string From, string To)[] edits)
    {
        string text = Encoding.UTF8.GetString(valid);
        int count = random.Next(1, 3);
        for (int e = 0; e < count; e++)
        {
            if (random.Next(4) == 0)
            {
                int cut = random.Next(text.Length);
                text = random.Next(2) == 0 ? text[..cut] : text.Insert(cut, ((char)random.Next(32, 127)).ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                (string from, string to) = edits[random.Next(edits.Length)];
                int at = text.IndexOf(from, StringComparison.Ordinal);
                if (at >= 0)
                {
                    text = string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
                }
            }
        }

        return Encoding.UTF8.GetBytes(text);
    }
}
