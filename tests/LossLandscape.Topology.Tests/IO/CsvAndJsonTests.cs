using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;

namespace LossLandscape.Topology.Tests.IO;

public class CsvAndJsonTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("llt-csv").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void CanRoundTripGridLandscapeThroughCsv()
    {
        var landscape = Landscape.FromFunction(p => Math.Sin(p[0]) + (p[1] / 3), LandscapeAxis.Linspace("alpha1", -1, 1, 5), LandscapeAxis.Linspace("alpha2", 0, 2, 4));
        string path = Path.Combine(_folder, "l.csv");
        CsvFiles.WriteLandscape(path, landscape);
        Landscape back = CsvFiles.ReadLandscape(path);
        Assert.That(back.IsGrid, Is.True);
        Assert.That(back.Shape.ToArray(), Is.EqualTo(new[] { 5, 4 }));
        Assert.That(back.Values.ToArray(), Is.EqualTo(landscape.Values.ToArray()));
        Assert.That(back.Axes[1].Name, Is.EqualTo("alpha2"));
    }

    [Test]
    public void CanReadScatteredPointsAndRejectBadFields()
    {
        string path = Path.Combine(_folder, "s.csv");
        File.WriteAllText(path, "x,y,loss\n0,0,1\n0.5,0.1,inf\n1,1,2\n");
        Landscape scattered = CsvFiles.ReadLandscape(path);
        Assert.That(scattered.IsGrid, Is.False);
        Assert.That(scattered.Values[1], Is.EqualTo(double.PositiveInfinity));
        File.WriteAllText(path, "x,loss\n0,1\n1,abc\n");
        Assert.That(Assert.Throws<InvalidDataException>(() => CsvFiles.ReadLandscape(path))!.Message, Does.Contain("line 3, column 'loss'"));
    }

    [Test]
    public void CanWriteDiagramTreeAndMetricsAsCsv()
    {
        var landscape = Landscape.FromGrid(new double[,] { { 9, 0, 9 }, { 1, 5, 2 }, { 9, 9, 9 } });
        MergeTree tree = new MergeTreeBuilder().Build(GridGraphBuilder.Axis, landscape);
        CsvFiles.WritePersistenceDiagram(Path.Combine(_folder, "d.csv"), tree.ToPersistenceDiagram());
        CsvFiles.WriteMergeTreeNodes(Path.Combine(_folder, "n.csv"), tree);
        CsvFiles.WriteMergeTreeArcs(Path.Combine(_folder, "a.csv"), tree);
        CsvFiles.WriteMetrics(Path.Combine(_folder, "m.csv"), TopologyMetrics.Of(tree));
        string[] diagram = File.ReadAllLines(Path.Combine(_folder, "d.csv"));
        Assert.That(diagram, Is.EqualTo(new[] { "birth,death,persistence,birth_vertex,death_vertex,essential", "1,5,4,3,4,0", "2,5,3,5,4,0", "0,9,9,1,8,1" }));
        Assert.That(File.ReadAllLines(Path.Combine(_folder, "n.csv"))[0], Is.EqualTo("id,kind,vertex,value,parent,axis0,axis1"));
        Assert.That(File.ReadAllLines(Path.Combine(_folder, "a.csv")), Has.Length.EqualTo(tree.Arcs.Length + 1));
        Assert.That(File.ReadAllLines(Path.Combine(_folder, "m.csv"))[1], Does.StartWith("9,3,3,1,2,1,"));
    }

    [Test]
    public void CanRoundTripSummaryThroughJsonWithInfinities()
    {
        var landscape = Landscape.FromGrid(new double[,] { { 0, double.PositiveInfinity, 1, 3, 2 } });
        TopologySummary summary = TopologySummary.Of(new MergeTreeBuilder().Build(GridGraphBuilder.Full, landscape));
        string json = summary.ToJson();
        Assert.That(json, Does.Contain("\"Infinity\"").And.Contain("\"minimumCount\":3").And.Not.Contain("\n"), "compact by default");
        Assert.That(summary.ToJson(indented: true), Does.Contain("\"minimumCount\": 3"));
        using var stream = new MemoryStream();
        summary.WriteJson(stream);
        Assert.That(System.Text.Encoding.UTF8.GetString(stream.ToArray()), Is.EqualTo(json), "the stream gets the same bytes");
        TopologySummary back = TopologySummary.FromJson(json);
        Assert.That(back.Pairs, Is.EqualTo(summary.Pairs));
        Assert.That(back.Pairs[0], Is.EqualTo(new[] { 1.0, double.PositiveInfinity }));
        Assert.That(back.Essential, Is.EqualTo(new[] { 0.0 }));
    }

    [Test]
    public void CanReadACsvWithoutAHeaderRowKeepingItsFirstRow()
    {
        string path = Path.Combine(Path.GetTempPath(), $"llt-noheader-{Environment.ProcessId}.csv");
        try
        {
            File.WriteAllText(path, string.Join('\n', Enumerable.Range(0, 2000).Select(i => $"{i % 40},{i / 40},{i * 0.5}")) + "\n");
            Landscape landscape = CsvFiles.ReadLandscape(path);
            Assert.That(landscape.Count, Is.EqualTo(2000));
            Assert.That(landscape.Values.ToArray(), Does.Contain(0.0), "the first row is data");
            Assert.That(landscape.Axes.Select(a => a.Name), Is.EqualTo(new[] { "x0", "x1" }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void CanRoundTripAxisNamesHoldingCommasAndQuotes()
    {
        string path = Path.Combine(Path.GetTempPath(), $"llt-quoted-{Environment.ProcessId}.csv");
        try
        {
            var landscape = Landscape.FromGrid(new double[,] { { 1, 2 }, { 3, 4 } }, new LandscapeAxis("alpha, first", [0, 1]), new LandscapeAxis("say \"b\"", [0, 1]));
            CsvFiles.WriteLandscape(path, landscape);
            Landscape back = CsvFiles.ReadLandscape(path);
            Assert.That(back.Axes.Select(a => a.Name), Is.EqualTo(new[] { "alpha, first", "say \"b\"" }));
            Assert.That(back.Values.ToArray(), Is.EqualTo(landscape.Values.ToArray()));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
