using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Tests.Support;

namespace LossLandscape.Topology.Tests.IO;

/// <summary>VTK files checked by VTK itself (Debian's python3-vtk9), an independent reader.</summary>
public class VtkFilesTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("llt-vtk").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void CanRoundTripImageData()
    {
        Landscape landscape = TwoBasins();
        string path = Path.Combine(_folder, "l.vti");
        VtkFiles.WriteImageData(path, landscape);
        Landscape back = VtkFiles.ReadImageData(path);
        Assert.That(back.Shape.ToArray(), Is.EqualTo(landscape.Shape.ToArray()));
        Assert.That(back.Values.ToArray(), Is.EqualTo(landscape.Values.ToArray()));
        Assert.That(back.Axes[0].Coordinates.ToArray(), Is.EqualTo(landscape.Axes[0].Coordinates.ToArray()).Within(1e-15));
        Assert.That(back.Axes[1].Coordinates.ToArray(), Is.EqualTo(landscape.Axes[1].Coordinates.ToArray()).Within(1e-15));
    }

    [Test]
    public void CanBeReadByVtk()
    {
        string? unavailable = SystemPython.Unavailable("vtk", "python3-vtk9");
        if (unavailable is not null)
        {
            Assert.Ignore(unavailable);
        }

        Landscape landscape = TwoBasins();
        NeighborGraph graph = GridGraphBuilder.Freudenthal.Build(landscape);
        MergeTree tree = new MergeTreeBuilder().Build(graph, landscape);
        VtkFiles.WriteImageData(Path.Combine(_folder, "l.vti"), landscape);
        VtkFiles.WriteUnstructuredGrid(Path.Combine(_folder, "l.vtu"), landscape, graph);
        VtkFiles.WriteMergeTree(Path.Combine(_folder, "t.vtp"), tree);
        VtkFiles.WritePersistenceDiagram(Path.Combine(_folder, "d.vtp"), tree.ToPersistenceDiagram());
        string script = """
            import sys, vtk
            from vtk.util.numpy_support import vtk_to_numpy as np_of
            d = sys.argv[1]
            def read(cls, name):
                r = cls(); r.SetFileName(d + '/' + name); r.Update(); return r.GetOutput()
            img = read(vtk.vtkXMLImageDataReader, 'l.vti')
            loss = np_of(img.GetPointData().GetArray('loss'))
            print('vti', img.GetDimensions()[0], img.GetDimensions()[1], img.GetNumberOfPoints(), repr(float(loss.min())), repr(float(loss.max())), repr(img.GetSpacing()[0]))
            # the value at VTK point (x=3, y=1) is the landscape's [3, 1]
            print('vti-point', repr(float(loss[img.ComputePointId([3, 1, 0])])))
            ug = read(vtk.vtkXMLUnstructuredGridReader, 'l.vtu')
            print('vtu', ug.GetNumberOfPoints(), ug.GetNumberOfCells(), ug.GetCellType(0))
            t = read(vtk.vtkXMLPolyDataReader, 't.vtp')
            kinds = np_of(t.GetPointData().GetArray('kind'))
            print('tree', t.GetNumberOfPoints(), t.GetNumberOfLines(), int((kinds == 0).sum()), int((kinds == 1).sum()), int(np_of(t.GetCellData().GetArray('region_vertex_count')).sum()))
            g = read(vtk.vtkXMLPolyDataReader, 'd.vtp')
            print('diagram', g.GetNumberOfLines(), repr(float(np_of(g.GetCellData().GetArray('persistence')).max())))
            """;
        (int code, string output) = SystemPython.RunScript(script, _folder);
        Assert.That(code, Is.Zero, output);
        string[] lines = output.Trim().Split('\n');
        var pairs = tree.ToPersistenceDiagram();
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo($"vti 9 7 63 {Repr(landscape.Values.ToArray().Min())} {Repr(landscape.Values.ToArray().Max())} 0.25"));
            Assert.That(lines[1], Is.EqualTo($"vti-point {Repr(landscape.GetValue(3, 1))}"));
            Assert.That(lines[2], Is.EqualTo($"vtu 63 {graph.EdgeCount} 3"));
            Assert.That(lines[3], Is.EqualTo($"tree {tree.Nodes.Length} {tree.Arcs.Length} {tree.MinimumCount} {tree.SaddleCount} {tree.Arcs.Sum(a => a.RegionVertexCount)}"));
            Assert.That(lines[4], Is.EqualTo($"diagram {pairs.Pairs.Length + pairs.Essential.Length} {Repr(pairs.Essential[0].PersistenceToMaximum)}"));
        });
    }

    [Test]
    public void ReadImageDataNamesTheFileAndTheTokenThatIsNotANumber()
    {
        string path = Path.Combine(_folder, "bad.vti");
        VtkFiles.WriteImageData(path, TwoBasins());
        string text = File.ReadAllText(path);
        File.WriteAllText(path, System.Text.RegularExpressions.Regex.Replace(text, "Spacing=\"[^ \"]+", "Spacing=\"0.25x"));
        var ex = Assert.Throws<InvalidDataException>(() => VtkFiles.ReadImageData(path));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("'0.25x'"));
    }

    [Test]
    public void WriteImageDataFailsOnNonUniformAxis()
    {
        var landscape = Landscape.FromGrid(new double[2, 3], new LandscapeAxis("a", [0.0, 1]), new LandscapeAxis("b", [0.0, 1, 3]));
        var ex = Assert.Throws<ArgumentException>(() => VtkFiles.WriteImageData(Path.Combine(_folder, "x.vti"), landscape));
        Assert.That(ex!.Message, Does.Contain("'b' is not uniformly spaced"));
    }

    private static string Repr(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture).Contains('.') || v.ToString("R", System.Globalization.CultureInfo.InvariantCulture).Contains('E')
        ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal)
        : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + ".0";

    private static Landscape TwoBasins() => Landscape.FromFunction(
        p => Math.Min(((p[0] + 0.5) * (p[0] + 0.5)) + (p[1] * p[1]), 0.3 + ((p[0] - 0.6) * (p[0] - 0.6)) + (p[1] * p[1])),
        LandscapeAxis.Linspace("alpha1", -1, 1, 9), LandscapeAxis.Linspace("alpha2", -0.75, 0.75, 7));
}
