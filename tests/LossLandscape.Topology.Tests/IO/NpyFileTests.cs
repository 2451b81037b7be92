using System.Globalization;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Tests.Support;

namespace LossLandscape.Topology.Tests.IO;

public class NpyFileTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("llt-npy").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void CanRoundTripEveryRankAndBothPrecisions([Values(false, true)] bool asFloat32)
    {
        var random = new Random(1);
        foreach (int[] shape in new[] { new[] { 7 }, [3, 4], [2, 3, 4], [1, 1, 2, 5], [0, 3] })
        {
            double[] values = Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => random.NextDouble() - 0.5).ToArray();
            values = asFloat32 ? values.Select(v => (double)(float)v).ToArray() : values;
            string path = Path.Combine(_folder, "a.npy");
            NpyFile.Write(path, values, shape, asFloat32);
            (double[] back, int[] backShape) = NpyFile.Read(path);
            Assert.That(backShape, Is.EqualTo(shape));
            Assert.That(back, Is.EqualTo(values));
        }
    }

    [Test]
    public void CanReadWhatNumPyWritesIncludingFortranOrderAndBigEndian()
    {
        string? unavailable = SystemPython.Unavailable("numpy", "python3-numpy");
        if (unavailable is not null)
        {
            Assert.Ignore(unavailable);
        }

        string script = """
            import sys, numpy as np
            a = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7.0
            np.save(sys.argv[1] + '/c.npy', a)
            np.save(sys.argv[1] + '/f.npy', np.asfortranarray(a))
            np.save(sys.argv[1] + '/b.npy', a.astype('>f8'))
            np.save(sys.argv[1] + '/s.npy', a.astype(np.float32))
            np.save(sys.argv[1] + '/i.npy', np.arange(5))
            """;
        (int code, string output) = SystemPython.RunScript(script, _folder);
        Assert.That(code, Is.Zero, output);
        double[] expected = Enumerable.Range(0, 24).Select(i => i / 7.0).ToArray();
        foreach (string name in new[] { "c", "f", "b" })
        {
            (double[] values, int[] shape) = NpyFile.Read(Path.Combine(_folder, name + ".npy"));
            Assert.That(shape, Is.EqualTo(new[] { 2, 3, 4 }), name);
            Assert.That(values, Is.EqualTo(expected), name);
        }

        Assert.That(NpyFile.Read(Path.Combine(_folder, "s.npy")).Values, Is.EqualTo(expected.Select(v => (double)(float)v)));
        var ex = Assert.Throws<InvalidDataException>(() => NpyFile.Read(Path.Combine(_folder, "i.npy")));
        Assert.That(ex!.Message, Does.Contain("<i8").And.Contain("only float64"));
    }

    [Test]
    public void CanBeReadByNumPy()
    {
        string? unavailable = SystemPython.Unavailable("numpy", "python3-numpy");
        if (unavailable is not null)
        {
            Assert.Ignore(unavailable);
        }

        var landscape = Landscape.FromFunction(p => (p[0] * 10) + p[1], LandscapeAxis.Indices("a", 3), LandscapeAxis.Indices("b", 5));
        string path = Path.Combine(_folder, "l.npy");
        NpyFile.Write(path, landscape);
        (int code, string output) = SystemPython.Run("-c", $"import numpy as np; a = np.load('{path}'); print(a.shape, a[2, 4], a.dtype)");
        Assert.That(code, Is.Zero, output);
        Assert.That(output.Trim(), Is.EqualTo("(3, 5) 24.0 float64"));
    }

    [Test]
    public void ReadFailsOnTruncatedDataOrHeader()
    {
        string path = Path.Combine(_folder, "t.npy");
        NpyFile.Write(path, new double[12], [3, 4]);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);
        Assert.That(Assert.Throws<InvalidDataException>(() => NpyFile.Read(path))!.Message, Does.Contain("truncated").And.Contain("shape (3, 4)"));
        File.WriteAllBytes(path, bytes[..20]);
        Assert.That(Assert.Throws<InvalidDataException>(() => NpyFile.Read(path))!.Message, Does.Contain("truncated"));
        File.WriteAllBytes(path, "not an array"u8.ToArray());
        Assert.That(Assert.Throws<InvalidDataException>(() => NpyFile.Read(path))!.Message, Does.Contain("magic"));
    }

    [Test]
    public void WriteFailsOnShapeMismatch()
    {
        var ex = Assert.Throws<ArgumentException>(() => NpyFile.Write(Path.Combine(_folder, "x.npy"), new double[5], [2, 3]));
        Assert.That(ex!.Message, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"holds 6 values but 5")));
    }

    [Test]
    public void CanReadTheShapeEntryNotAStringThatLooksLikeOne()
    {
        // A pattern search found "'shape': (1,)" inside another entry's string; the header is parsed as a dict.
        string header = "{'comment': \"'shape': (1,)\", 'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
        string path = Path.Combine(_folder, "q.npy");
        WriteRaw(path, header, [1.0, 2, 3, 4]);
        (double[] values, int[] shape) = NpyFile.Read(path);
        Assert.That(shape, Is.EqualTo(new[] { 2, 2 }));
        Assert.That(values, Is.EqualTo(new[] { 1.0, 2, 3, 4 }));

        WriteRaw(path, "{'descr': \"<f8 'shape': (1,)\", 'fortran_order': False, 'shape': (4,), }", [1.0, 2, 3, 4]);
        Assert.That(Assert.Throws<InvalidDataException>(() => NpyFile.Read(path))!.Message, Does.Contain("dtype"));
    }

    [TestCase("{'descr': '<f8', 'fortran_order': False, 'shape': (30000, 30000), }", "truncated")]
    [TestCase("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999,), }", "not a size")]
    [TestCase("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647), }", "more elements")]
    public void ReadFailsOnDeclaredSizesTheFileCannotHoldBeforeAllocating(string header, string message)
    {
        string path = Path.Combine(_folder, "big.npy");
        WriteRaw(path, header, [1.0]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(Assert.Throws<InvalidDataException>(() => NpyFile.Read(path))!.Message, Does.Contain(message));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20));
    }

    [Test]
    public void ReadFailsOnAHugeVersion2HeaderLengthBeforeAllocating()
    {
        string path = Path.Combine(_folder, "v2.npy");
        File.WriteAllBytes(path, [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(Assert.Throws<InvalidDataException>(() => NpyFile.Read(path))!.Message, Does.Contain("header"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20));
    }

    private static void WriteRaw(string path, string header, double[] values)
    {
        string padded = header + new string(' ', (64 - ((10 + header.Length + 1) % 64)) % 64) + "\n";
        byte[] text = System.Text.Encoding.Latin1.GetBytes(padded);
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(text.Length & 0xFF), (byte)(text.Length >> 8)]);
        stream.Write(text);
        foreach (double v in values)
        {
            stream.Write(BitConverter.GetBytes(v));
        }
    }
}
