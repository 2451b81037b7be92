using System.Collections.Immutable;
using System.Diagnostics;
using LossLandscape.Topology.Cli;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Cli.Tests;

public class AnalyzeCommandTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("llt-cli").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void CanPrintTheLibrarysResultsAsJson([Values("axis", "full", "freudenthal", "knn", "delaunay", "gabriel")] string graph)
    {
        var random = new Random(graph.Length);
        double[] values = Enumerable.Range(0, 12 * 15).Select(_ => (double)random.Next(30)).ToArray();
        var landscape = Landscape.FromGrid(values, [12, 15]);
        string path = Path.Combine(_folder, "l.npy");
        NpyFile.Write(path, landscape);

        (int code, string stdout, string stderr) = Run("analyze", path, "--graph", graph);
        Assert.That(code, Is.Zero, stderr);
        TopologySummary printed = TopologySummary.FromJson(stdout);
        IGraphBuilder builder = graph switch
        {
            "axis" => GridGraphBuilder.Axis,
            "freudenthal" => GridGraphBuilder.Freudenthal,
            "knn" => new KnnGraphBuilder(8),
            "delaunay" => new DelaunayGraphBuilder(),
            "gabriel" => new GabrielGraphBuilder(),
            _ => GridGraphBuilder.Full,
        };
        TopologySummary expected = TopologySummary.Of(new MergeTreeBuilder().Build(builder, landscape));
        Assert.That(printed.VertexCount, Is.EqualTo(180));
        Assert.That((printed.MinimumCount, printed.SaddleCount, printed.AveragePersistence), Is.EqualTo((expected.MinimumCount, expected.SaddleCount, expected.AveragePersistence)));
        Assert.That(printed.Pairs, Is.EqualTo(expected.Pairs));
        Assert.That(printed.Essential, Is.EqualTo(expected.Essential));
        Assert.That(printed.Pairs.Zip(printed.Pairs.Skip(1)).All(p => p.First[0] < p.Second[0] || (p.First[0] == p.Second[0] && p.First[1] <= p.Second[1])), Is.True, "sorted by birth, then death");
    }

    [Test]
    public void CanReadVtiAndCsvAndSimplify()
    {
        var landscape = Landscape.FromFunction(p => Math.Sin(5 * p[0]) + Math.Cos(4 * p[1]) + (p[0] * p[0]),
            LandscapeAxis.Linspace("a", -1, 1, 17), LandscapeAxis.Linspace("b", -1, 1, 13));
        VtkFiles.WriteImageData(Path.Combine(_folder, "l.vti"), landscape);
        CsvFiles.WriteLandscape(Path.Combine(_folder, "l.csv"), landscape);
        MergeTree tree = new MergeTreeBuilder().Build(GridGraphBuilder.Full, landscape);
        foreach (string file in new[] { "l.vti", "l.csv" })
        {
            (int code, string stdout, _) = Run("analyze", Path.Combine(_folder, file));
            Assert.That(code, Is.Zero);
            Assert.That(TopologySummary.FromJson(stdout).Pairs, Is.EqualTo(TopologySummary.Of(tree).Pairs), file);
        }

        (int c2, string simplified, _) = Run("analyze", Path.Combine(_folder, "l.vti"), "--simplify", "20%");
        Assert.That(c2, Is.Zero);
        Assert.That(TopologySummary.FromJson(simplified).Pairs, Is.EqualTo(TopologySummary.Of(tree.Simplify(PersistenceThreshold.Relative(0.2))).Pairs));
    }

    [Test]
    public void CanAnalyzeScatteredPointsFromCsv()
    {
        var random = new Random(2);
        string path = Path.Combine(_folder, "s.csv");
        var lines = new List<string> { "alpha1,alpha2,loss" };
        var coordinates = new double[200, 2];
        var values = new double[200];
        for (int i = 0; i < 200; i++)
        {
            coordinates[i, 0] = random.NextDouble();
            coordinates[i, 1] = random.NextDouble();
            values[i] = Math.Sin(6 * coordinates[i, 0]) * Math.Cos(5 * coordinates[i, 1]);
            lines.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{coordinates[i, 0]:R},{coordinates[i, 1]:R},{values[i]:R}"));
        }

        File.WriteAllLines(path, lines);
        var landscape = Landscape.FromPoints(coordinates, values);
        foreach ((string graph, IGraphBuilder builder) in new (string, IGraphBuilder)[] { ("knn", new KnnGraphBuilder(8)), ("delaunay", new DelaunayGraphBuilder()), ("gabriel", new GabrielGraphBuilder()) })
        {
            string output = Path.Combine(_folder, graph);
            (int code, string stdout, string stderr) = Run("analyze", path, "--graph", graph, "--out", output);
            Assert.That(code, Is.Zero, stderr);
            Assert.That(TopologySummary.FromJson(stdout).Pairs, Is.EqualTo(TopologySummary.Of(new MergeTreeBuilder().Build(builder, landscape)).Pairs), graph);
            Assert.That(File.Exists(Path.Combine(output, "landscape.vtu")), Is.True, "scattered landscapes are written as unstructured grids");
        }

        (int fails, _, string error) = Run("analyze", path);
        Assert.That(fails, Is.EqualTo(2));
        Assert.That(error, Does.Contain("scattered points"));
    }

    [Test]
    public void CanWriteEveryOutputFile()
    {
        var landscape = Landscape.FromFunction(p => Math.Sin(5 * p[0]) * Math.Cos(3 * p[1]), LandscapeAxis.Linspace("a", -1, 1, 21), LandscapeAxis.Linspace("b", -1, 1, 21));
        NpyFile.Write(Path.Combine(_folder, "l.npy"), landscape);
        string output = Path.Combine(_folder, "out");
        (int code, _, string stderr) = Run("analyze", Path.Combine(_folder, "l.npy"), "--out", output);
        Assert.That(code, Is.Zero, stderr);
        foreach (string file in new[] { "topology.json", "persistence_diagram.csv", "merge_tree_nodes.csv", "merge_tree_arcs.csv", "metrics.csv", "merge_tree.vtp", "persistence_diagram.vtp", "landscape.vti", "merge_tree.png", "persistence_diagram.png", "landscape.png", "landscape_surface.html" })
        {
            Assert.That(new FileInfo(Path.Combine(output, file)).Length, Is.GreaterThan(50), file);
        }
    }

    [TestCase("missing", "no such file")]
    [TestCase("int", "dtype <i8")]
    [TestCase("nan", "grid index (1, 2)")]
    [TestCase("option", "Unrecognized command or argument '--bogus'")]
    [TestCase("graph", "--graph must be axis, full, freudenthal, knn, delaunay or gabriel, not 'delaunay2'")]
    [TestCase("dimension", "needs a 2-D landscape")]
    [TestCase("k", "--k 200 needs more than 200 points")]
    [TestCase("type", "unknown file type '.txt'")]
    [TestCase("truncated", "truncated")]
    public void AnalyzeFailsWithOneLineAndNoStackTrace(string kind, string expected)
    {
        string npy = Path.Combine(_folder, "l.npy");
        var values = new double[3 * 4];
        string[] args;
        switch (kind)
        {
            case "missing":
                args = ["analyze", Path.Combine(_folder, "nope.npy")];
                break;
            case "int":
                File.WriteAllBytes(npy, IntegerNpy());
                args = ["analyze", npy];
                break;
            case "nan":
                values[(1 * 4) + 2] = double.NaN;
                NpyFile.Write(npy, values, [3, 4]);
                args = ["analyze", npy, "--nan", "error"];
                break;
            case "option":
                NpyFile.Write(npy, values, [3, 4]);
                args = ["analyze", npy, "--bogus"];
                break;
            case "graph":
                NpyFile.Write(npy, values, [3, 4]);
                args = ["analyze", npy, "--graph", "delaunay2"];
                break;
            case "dimension":
                NpyFile.Write(npy, new double[24], [2, 3, 4]);
                args = ["analyze", npy, "--graph", "delaunay"];
                break;
            case "k":
                NpyFile.Write(npy, values, [3, 4]);
                args = ["analyze", npy, "--graph", "knn", "--k", "200"];
                break;
            case "type":
                File.WriteAllText(Path.Combine(_folder, "l.txt"), "1 2 3");
                args = ["analyze", Path.Combine(_folder, "l.txt")];
                break;
            default:
                NpyFile.Write(npy, values, [3, 4]);
                byte[] bytes = File.ReadAllBytes(npy);
                File.WriteAllBytes(npy, bytes[..^8]);
                args = ["analyze", npy];
                break;
        }

        (int code, string stdout, string stderr) = Run(args);
        Assert.That(code, Is.Not.Zero);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), stderr);
        Assert.That(stderr, Does.StartWith("llt: ").And.Contain(expected));
        Assert.That(stderr, Does.Not.Contain("   at "));
    }

    [Test]
    public void CanRunAsAProcess()
    {
        string npy = Path.Combine(_folder, "l.npy");
        NpyFile.Write(npy, [3.0, 1, 2, 0, 4], [5]);
        string llt = Path.Combine(TestContext.CurrentContext.TestDirectory, "llt.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(llt);
        start.ArgumentList.Add("analyze");
        start.ArgumentList.Add(npy);
        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, process.StandardError.ReadToEnd());
        TopologySummary summary = TopologySummary.FromJson(stdout);
        Assert.That((summary.MinimumCount, summary.SaddleCount), Is.EqualTo((2, 1)));
        Assert.That(summary.Pairs, Is.EqualTo(new[] { new[] { 1.0, 2.0 } }), "vertex 1 (value 1) dies at vertex 2 (value 2), which joins it to the basin of vertex 3");
    }

    [TestCase("--simplify", "200%")]
    [TestCase("--simplify", "Infinity%")]
    [TestCase("--simplify", "1e400")]
    [TestCase("--k", "5")]
    [TestCase("--out", "")]
    public void AnalyzeFailsOnOptionsThatWouldDoNothingOrEverything(string option, string value)
    {
        string path = Path.Combine(_folder, "l.npy");
        NpyFile.Write(path, Landscape.FromGrid(new double[,] { { 1, 2 }, { 3, 0 } }));
        (int code, string stdout, string stderr) = Run("analyze", path, option, value);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain(option));
    }

    [Test]
    public void AnalyzeFailsOnAPipeInsteadOfWaitingForever()
    {
        string fifo = Path.Combine(_folder, "pipe.npy");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        (int code, _, string stderr) = Run("analyze", fifo);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("not a regular file"));
    }

    [Test]
    public void AnalyzeGivesOneLineForEveryMalformedFile()
    {
        int count = 0;
        foreach ((string name, byte[] bytes) in LossLandscape.Topology.Tests.Support.MalformedFiles.Generate(11, 60))
        {
            string path = Path.Combine(_folder, name);
            File.WriteAllBytes(path, bytes);
            (int code, string stdout, string stderr) = Run("analyze", path);
            Assert.That(code, Is.AnyOf(0, 2), $"{name}: {stderr}");
            if (code == 2)
            {
                count++;
                Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), $"{name}: {stderr}");
                Assert.That(stderr, Does.StartWith("llt: ").And.Contain(name), name);
                Assert.That(stdout, Is.Empty);
            }
        }

        Assert.That(count, Is.GreaterThan(100));
    }

    [Test]
    public void AnalyzeFailsOnGridsWithoutABuildableGraphInOneLine()
    {
        string path = Path.Combine(_folder, "big.npy");
        NpyFile.Write(path, new double[1 << 12], Enumerable.Repeat(2, 12).ToArray());
        (int code, _, string stderr) = Run("analyze", path, "--graph", "full");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("Freudenthal"));
        Assert.That(Run("analyze", path, "--graph", "freudenthal").Code, Is.Zero);
    }

    [Test]
    public void AnalyzeOutRemovesAnEarlierRunsFiles()
    {
        string twoD = Path.Combine(_folder, "a.npy");
        string threeD = Path.Combine(_folder, "b.npy");
        NpyFile.Write(twoD, Landscape.FromGrid(new double[,] { { 1, 2, 0 }, { 3, 0, 4 } }));
        NpyFile.Write(threeD, new double[8], [2, 2, 2]);
        string output = Path.Combine(_folder, "out");
        Assert.That(Run("analyze", twoD, "--out", output).Code, Is.Zero);
        Assert.That(File.Exists(Path.Combine(output, "landscape.png")), Is.True);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        Assert.That(Run("analyze", threeD, "--out", output).Code, Is.Zero);
        Assert.That(File.Exists(Path.Combine(output, "landscape.png")), Is.False, "no picture of the earlier landscape");
        Assert.That(File.ReadAllText(Path.Combine(output, "notes.txt")), Is.EqualTo("mine"), "files the tool does not write are left alone");
    }

    [Test]
    public void CanWriteThePairsToACsvOrJsonFileInsteadOfStdout()
    {
        var random = new Random(5);
        double[] values = Enumerable.Range(0, 20 * 20).Select(_ => random.Next(8) == 0 ? double.PositiveInfinity : random.Next(40)).ToArray();
        string path = Path.Combine(_folder, "l.npy");
        NpyFile.Write(path, values, [20, 20]);
        TopologySummary all = TopologySummary.FromJson(Run("analyze", path).Stdout);
        Assert.That(all.Pairs, Is.Not.Empty);

        string csv = Path.Combine(_folder, "pairs.csv");
        (int code, string stdout, string stderr) = Run("analyze", path, "--pairs", csv);
        Assert.That(code, Is.Zero, stderr);
        TopologySummary printed = TopologySummary.FromJson(stdout);
        Assert.That((printed.Pairs.Length, printed.PairsFile, printed.MinimumCount), Is.EqualTo((0, csv, all.MinimumCount)), "stdout: the numbers, and where the pairs went");
        string[] lines = File.ReadAllLines(csv);
        Assert.That(lines[0], Is.EqualTo("birth,death"));
        double[][] read = lines.Skip(1).Select(l => l.Split(',').Select(f => f == "inf" ? double.PositiveInfinity : double.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.That(read, Is.EqualTo(all.Pairs.Select(p => p.ToArray()).ToArray()), "every pair, in the same order, bit for bit");

        string json = Path.Combine(_folder, "pairs.json");
        Assert.That(Run("analyze", path, "--pairs", json).Code, Is.Zero);
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        double Number(System.Text.Json.JsonElement e) => e.ValueKind == System.Text.Json.JsonValueKind.String ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetDouble();
        Assert.That(document.RootElement.EnumerateArray().Select(p => p.EnumerateArray().Select(Number).ToArray()).ToArray(), Is.EqualTo(all.Pairs.Select(p => p.ToArray()).ToArray()));
        Assert.That(Run("analyze", path, "--pairs", Path.Combine(_folder, "no", "such", "p.csv")).Stderr, Does.Contain("the folder does not exist"));
    }

    [Test]
    public void PairsFilesHoldNegativeInfinityAsNumPyAndJsonReadIt()
    {
        // A plateau of −∞ values: pairs born and dying at −∞ next to finite ones, over several formatting blocks.
        var random = new Random(9);
        double[] values = Enumerable.Range(0, 700 * 700).Select(_ => random.Next(20) == 0 ? double.NegativeInfinity : random.NextDouble()).ToArray();
        string path = Path.Combine(_folder, "neg.npy");
        NpyFile.Write(path, values, [700, 700]);
        TopologySummary all = TopologySummary.FromJson(Run("analyze", path, "--graph", "axis").Stdout);
        Assert.That(all.Pairs.Any(p => double.IsNegativeInfinity(p[0])), Is.True, "the case this test is about");
        Assert.That(all.Pairs.Length, Is.GreaterThan(2 * 32768), "more blocks of 32768 pairs than threads, written in order");

        string csv = Path.Combine(_folder, "neg.csv");
        Assert.That(Run("analyze", path, "--graph", "axis", "--pairs", csv, "--threads", "3").Code, Is.Zero);
        double Parse(string f) => f switch { "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity, _ => double.Parse(f, System.Globalization.CultureInfo.InvariantCulture) };
        double[][] read = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',').Select(Parse).ToArray()).ToArray();
        Assert.That(read, Is.EqualTo(all.Pairs.Select(p => p.ToArray()).ToArray()));

        string json = Path.Combine(_folder, "neg.json");
        Assert.That(Run("analyze", path, "--graph", "axis", "--pairs", json, "--threads", "1").Code, Is.Zero);
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)); // −∞ quoted, or this throws
        double Number(System.Text.Json.JsonElement e) => e.ValueKind == System.Text.Json.JsonValueKind.String ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetDouble();
        Assert.That(document.RootElement.EnumerateArray().Select(p => p.EnumerateArray().Select(Number).ToArray()).ToArray(), Is.EqualTo(all.Pairs.Select(p => p.ToArray()).ToArray()));
    }

    [Test]
    public void DimensionOneAddsTheHolesAndIsRefusedWhereItCannotBe()
    {
        // A ring at 0 around a centre at 5: one hole, born when the ring closes (0) and filled by the centre (5).
        double[,] ring =
        {
            { 9, 9, 9, 9, 9 },
            { 9, 0, 0, 0, 9 },
            { 9, 0, 5, 0, 9 },
            { 9, 0, 0, 0, 9 },
            { 9, 9, 9, 9, 9 },
        };
        string path = Path.Combine(_folder, "ring.npy");
        NpyFile.Write(path, Landscape.FromGrid(ring));
        (int code, string stdout, string stderr) = Run("analyze", path, "--dimension", "1");
        Assert.That(code, Is.Zero, stderr);
        TopologySummary summary = TopologySummary.FromJson(stdout);
        Assert.That(summary.Pairs1!.Value.Where(p => p[1] > p[0]).Select(p => (p[0], p[1])), Is.EqualTo(new[] { (0.0, 5.0) }));
        Assert.That(summary.Pairs2, Is.Null);
        Assert.That((summary.Metrics1!.Dimension, summary.Metrics1.PairCount), Is.EqualTo((1, summary.Pairs1.Value.Length)));
        Assert.That(summary.Metrics1.MaximumPersistence, Is.EqualTo(5.0));
        Assert.That(Run("analyze", path).Stdout, Does.Not.Contain("pairs1").And.Not.Contain("metrics1"), "only when asked for");

        string csv = Path.Combine(_folder, "ring.csv");
        (code, stdout, _) = Run("analyze", path, "--dimension", "1", "--pairs", csv);
        Assert.That(code, Is.Zero);
        summary = TopologySummary.FromJson(stdout);
        string holes = Path.Combine(_folder, "ring.dim1.csv");
        Assert.That((summary.Pairs1File, summary.Pairs1!.Value.Length), Is.EqualTo((holes, 0)));
        Assert.That(File.ReadAllLines(holes), Does.Contain("0,5"));
        string folder = Path.Combine(_folder, "ring-out");
        (code, _, stderr) = Run("analyze", path, "--dimension", "1", "--pairs", csv, "--out", folder);
        Assert.That(code, Is.Zero, stderr);
        TopologySummary written = TopologySummary.FromJson(File.ReadAllText(Path.Combine(folder, "topology.json")));
        Assert.That(written.Pairs1!.Value.Where(p => p[1] > p[0]).Select(p => (p[0], p[1])), Is.EqualTo(new[] { (0.0, 5.0) }), "--out keeps the pairs that --pairs writes elsewhere");

        foreach (string[] bad in new[]
        {
            new[] { "analyze", path, "--dimension", "2" },
            new[] { "analyze", path, "--dimension", "1", "--graph", "knn" },
            new[] { "analyze", path, "--dimension", "-1" },
        })
        {
            (code, _, stderr) = Run(bad);
            Assert.That(code, Is.EqualTo(2), string.Join(' ', bad));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.Contain("--dimension"), stderr);
        }
    }

    [Test]
    public void DimensionTwoOfA3DGridAddsItsLoopsAndVoids([Values("full", "axis")] string graph)
    {
        // A block at 9 with a ring of 0s round the middle column of the middle layer: one loop, born at 0 and filled
        // at 9, and no void.
        var values = Enumerable.Repeat(9.0, 5 * 5 * 3).ToArray();
        foreach ((int i, int j) in new[] { (1, 1), (1, 2), (1, 3), (2, 3), (3, 3), (3, 2), (3, 1), (2, 1) })
        {
            values[(((i * 5) + j) * 3) + 1] = 0;
        }

        string path = Path.Combine(_folder, $"torus-{graph}.npy");
        NpyFile.Write(path, Landscape.FromGrid(values, [5, 5, 3]));
        (int code, string stdout, string stderr) = Run("analyze", path, "--dimension", "2", "--graph", graph);
        Assert.That(code, Is.Zero, stderr);
        TopologySummary summary = TopologySummary.FromJson(stdout);
        Assert.That(summary.Pairs1!.Value.Select(p => (p[0], p[1])), Is.EqualTo(new[] { (0.0, 9.0) }));
        Assert.That(summary.Pairs2!.Value.Where(p => p[1] > p[0]), Is.Empty);
        Assert.That((summary.Metrics1!.PairCount, summary.Metrics1.TotalPersistence, summary.Metrics2!.Dimension), Is.EqualTo((1, 9.0, 2)));

        (code, stdout, stderr) = Run("analyze", path, "--dimension", "1", "--graph", graph);
        Assert.That(code, Is.Zero, stderr);
        summary = TopologySummary.FromJson(stdout);
        Assert.That((summary.Pairs1!.Value.Length, summary.Pairs2), Is.EqualTo((1, (ImmutableArray<ImmutableArray<double>>?)null)), "--dimension 1: loops only");

        string csv = Path.Combine(_folder, $"torus-{graph}.csv");
        foreach (string threads in new[] { "1", "3" }) // the dimensions one after the other, then beside each other
        {
            (code, stdout, stderr) = Run("analyze", path, "--dimension", "2", "--graph", graph, "--threads", threads, "--pairs", csv);
            Assert.That(code, Is.Zero, stderr);
            summary = TopologySummary.FromJson(stdout);
            Assert.That((summary.Pairs1File, summary.Pairs2File), Is.EqualTo((Path.Combine(_folder, $"torus-{graph}.dim1.csv"), Path.Combine(_folder, $"torus-{graph}.dim2.csv"))), $"--threads {threads}");
            Assert.That(File.ReadAllLines(summary.Pairs1File!), Is.EqualTo(new[] { "birth,death", "0,9" }), $"--threads {threads}");
            Assert.That((summary.Metrics1!.PairCount, summary.Metrics2!.Dimension), Is.EqualTo((1, 2)), $"--threads {threads}");
        }
    }

    [Test]
    public void BasinsAddTheSteepestDescentBasinsNumbers()
    {
        // 3, 1, 2, 0, 4 on a line: basins {3, 2, 4} (depth 2, 60%) and {1, 0} (depth 1, 40%): SMAD (1 + 2) / 2.
        string path = Path.Combine(_folder, "line.npy");
        NpyFile.Write(path, Landscape.FromGrid([3.0, 1, 2, 0, 4], [1, 5]));
        (int code, string stdout, string stderr) = Run("analyze", path, "--basins", "--graph", "axis");
        Assert.That(code, Is.Zero, stderr);
        TopologySummary summary = TopologySummary.FromJson(stdout);
        Assert.That(summary.Basins, Is.EqualTo(new BasinStatistics { BasinCount = 2, Smad = 1.5, NormalizedSmad = 0.375, WeightedSmad = (2 * 0.6 + 1 * 0.4) / 2, LargestBasinFraction = 0.6 }));
        Assert.That(Run("analyze", path, "--graph", "axis").Stdout, Does.Not.Contain("basins"), "only when asked for");

        // Of the landscape itself, also when the pairs are simplified.
        (code, stdout, _) = Run("analyze", path, "--basins", "--graph", "axis", "--simplify", "1.5");
        Assert.That(code, Is.Zero);
        summary = TopologySummary.FromJson(stdout);
        Assert.That((summary.Basins!.BasinCount, summary.MinimumCount), Is.EqualTo((2, 1)));
    }

    [Test]
    public void ThreadsChangeNothingButAreCheckedAsWholeNumbers()
    {
        // 1100² crosses the tiled sweep's threshold: one thread and two give the same JSON, byte for byte.
        var random = new Random(12);
        double[] values = Enumerable.Range(0, 1100 * 1100).Select(_ => random.NextDouble()).ToArray();
        string path = Path.Combine(_folder, "big.npy");
        NpyFile.Write(path, values, [1100, 1100]);
        (int one, string oneOut, _) = Run("analyze", path, "--threads", "1");
        (int two, string twoOut, _) = Run("analyze", path, "--threads", "2");
        Assert.That((one, two), Is.EqualTo((0, 0)));
        Assert.That(twoOut, Is.EqualTo(oneOut));

        (int code, _, string stderr) = Run("analyze", path, "--threads", "0");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.Trim(), Does.Contain("--threads").And.Contain("0"));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static byte[] IntegerNpy()
    {
        string header = "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }";
        header = header.PadRight(64 - 10 - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 };
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header));
        bytes.AddRange(new byte[16]);
        return bytes.ToArray();
    }
}
