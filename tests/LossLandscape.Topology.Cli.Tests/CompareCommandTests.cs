using System.Text.Json;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Cli.Tests;

public class CompareCommandTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("llt-compare").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, int rows, int cols, int seed)
    {
        var random = new Random(seed);
        double[] values = Enumerable.Range(0, rows * cols).Select(_ => Math.Round(random.NextDouble(), 3)).ToArray();
        string path = Path.Combine(_folder, name);
        NpyFile.Write(path, values, [rows, cols]);
        return path;
    }

    private static PersistenceDiagram DiagramOf(string path) => new MergeTreeBuilder().Build(GridGraphBuilder.Full, NpyFile.ReadLandscape(path)).ToPersistenceDiagram();

    [Test]
    public void PrintsTheLibrarysDistancesBetweenTwoLandscapes()
    {
        string a = Write("a.npy", 20, 25, 1);
        string b = Write("b.npy", 22, 19, 2);
        (int code, string stdout, string stderr) = Run("compare", a, b);
        Assert.That(code, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        PersistenceDiagram da = DiagramOf(a);
        PersistenceDiagram db = DiagramOf(b);
        Assert.That(json.RootElement.GetProperty("bottleneck").GetDouble(), Is.EqualTo(DiagramDistance.Bottleneck(da, db)));
        Assert.That(json.RootElement.GetProperty("wasserstein1").GetDouble(), Is.EqualTo(DiagramDistance.Wasserstein(da, db, 1)));
        Assert.That(json.RootElement.GetProperty("pairs").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { da.Pairs.Length, db.Pairs.Length }));
        Assert.That(Run("compare", a, a).Stdout, Does.StartWith("{\"bottleneck\":0,\"wasserstein1\":0,"));
    }

    [Test]
    public void SaysWhyTheWassersteinDistanceIsLeftOutForLargeDiagrams()
    {
        string a = Write("a.npy", 330, 330, 3);
        string b = Write("b.npy", 330, 330, 4);
        (int code, string stdout, _) = Run("compare", a, b);
        Assert.That(code, Is.Zero);
        using var json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("wasserstein1").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(json.RootElement.GetProperty("wasserstein1Skipped").GetString(), Does.Contain("up to 20000"));
        Assert.That(json.RootElement.GetProperty("bottleneck").GetDouble(), Is.EqualTo(DiagramDistance.Bottleneck(DiagramOf(a), DiagramOf(b))));
    }

    [Test]
    public void BadInputIsOneLine()
    {
        string a = Write("a.npy", 5, 5, 5);
        (int code, string stdout, string stderr) = Run("compare", a, Path.Combine(_folder, "none.npy"));
        Assert.That((code, stdout), Is.EqualTo((2, string.Empty)));
        Assert.That(stderr, Does.Contain("none.npy: no such file"));
        Assert.That(Run("compare", a).Stderr, Does.Contain("llt compare --help"));
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
