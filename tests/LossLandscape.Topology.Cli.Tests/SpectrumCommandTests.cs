using System.Text.Json;
using LossLandscape.Topology.IO;
using MathNet.Numerics.LinearAlgebra;

namespace LossLandscape.Topology.Cli.Tests;

/// <summary><c>llt spectrum</c> on matrices in .npy files, against MathNet's dense eigendecomposition.</summary>
public class SpectrumCommandTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("llt-spectrum").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestCase(1)]
    [TestCase(2)]
    public void CanPrintTopEigenvaluesTraceAndDensityOfAMatrixFile(int seed)
    {
        var random = new Random(seed);
        var b = Matrix<double>.Build.Dense(40, 40, (_, _) => random.NextDouble() - 0.5);
        Matrix<double> a = b * b.Transpose();
        string path = Path.Combine(_folder, "h.npy");
        NpyFile.Write(path, a.ToRowMajorArray(), [40, 40]);
        (int code, string stdout, string stderr) = Run("spectrum", path, "--top", "4", "--density-steps", "40", "--trace-products", "150");
        Assert.That(code, Is.Zero, stderr);
        JsonElement json = JsonDocument.Parse(stdout).RootElement;
        double[] exact = a.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).OrderDescending().ToArray();
        Assert.That(json.GetProperty("dimension").GetInt32(), Is.EqualTo(40));
        Assert.That(json.GetProperty("topEigenvalues").EnumerateArray().Select(e => e.GetDouble()), Is.EqualTo(exact.Take(4)).Within(1e-8 * exact[0]));
        Assert.That(json.GetProperty("converged").GetBoolean(), Is.True);
        Assert.That(json.GetProperty("trace").GetDouble(), Is.EqualTo(a.Trace()).Within(1e-12 * a.Trace()));
        Assert.That(json.GetProperty("traceEstimate").GetProperty("estimate").GetDouble(), Is.EqualTo(a.Trace()).Within(1e-8 * a.Trace()), "150 products: the 50 sketch vectors span all 40 dimensions");
        double[] nodes = json.GetProperty("density").GetProperty("nodes")[0].EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.That(nodes, Is.EqualTo(exact.Reverse()).Within(1e-6 * exact[0]), "40 steps on a 40-dimensional matrix recover the spectrum");
    }

    [Test]
    public void FailsWithOneLineNamingWhatIsWrong()
    {
        string rectangle = Path.Combine(_folder, "r.npy");
        NpyFile.Write(rectangle, new double[12], [3, 4]);
        string skew = Path.Combine(_folder, "s.npy");
        NpyFile.Write(skew, [1, 2, 3, 4], [2, 2]);
        string small = Path.Combine(_folder, "i.npy");
        NpyFile.Write(small, [1, 0, 0, 1], [2, 2]);
        Assert.That(Run("spectrum", rectangle), Is.EqualTo((2, string.Empty, $"llt: {rectangle}: the array has shape (3, 4); a matrix of shape (n, n) is needed{Environment.NewLine}")));
        Assert.That(Run("spectrum", skew).Stderr, Does.Contain("not symmetric: entry (1, 0) is 3 but (0, 1) is 2"));
        Assert.That(Run("spectrum", small, "--top", "3").Stderr, Does.Contain("--top 3 is more than the matrix's dimension 2"));
        Assert.That(Run("spectrum", small, "--top", "x").Stderr, Does.Contain("--top must be a whole number of at least 1, not 'x'"));
        Assert.That(Run("spectrum", small, "--trace-products", "2").Stderr, Does.Contain("0 or at least 3"));
        Assert.That(Run("spectrum", small, "--frobnicate").Stderr, Does.Contain("Unrecognized command or argument '--frobnicate'"));
        Assert.That(Run("spectrum", Path.Combine(_folder, "none.npy")).Code, Is.EqualTo(2));
        Assert.That(Run("spectrum", "--help").Stdout, Does.Contain("llt spectrum <matrix.npy>"));
    }

    [Test]
    public void CanPrintTheVersion()
    {
        (int code, string stdout, _) = Run("--version");
        Assert.That(code, Is.Zero);
        Assert.That(stdout.Trim(), Does.Match(@"^llt \d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$"));
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
