using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Plotting.Tests;

public class PlotTests
{
    private static readonly Landscape Bumpy = Landscape.FromFunction(
        p => (p[0] * p[0]) + (p[1] * p[1]) + (0.2 * Math.Sin(7 * p[0]) * Math.Cos(5 * p[1])),
        LandscapeAxis.Linspace("alpha1", -1, 1, 41), LandscapeAxis.Linspace("alpha2", -1, 1, 31));

    [Test]
    public void CanDrawHeatmapWithContoursAndCriticalPoints([Values(ColorScale.Linear, ColorScale.Log)] ColorScale scale)
    {
        MergeTree tree = new MergeTreeBuilder().Build(GridGraphBuilder.Full, Bumpy);
        var plot = LandscapeHeatmap.Create(Bumpy, new LandscapeHeatmapOptions { Scale = scale, ClipQuantile = 0.9, CriticalPoints = tree, Title = "bumpy" });
        PngAssert.HasSizeAndContent(PlotFiles.ToPng(plot, 640, 480), 640, 480, minimumColours: 100);

        // The contours are there, and every critical point of the tree is marked where the landscape has it.
        var plottables = plot.GetPlottables().ToArray();
        Assert.That(plottables.OfType<ScottPlot.Plottables.ContourLines>().Single().Lines, Is.Not.Empty, "contour lines");
        var markers = plottables.OfType<ScottPlot.Plottables.Markers>().ToDictionary(m => m.LegendText);
        foreach ((string legend, MergeTreeNodeKind kind) in new[] { ("minima", MergeTreeNodeKind.Minimum), ("saddles", MergeTreeNodeKind.Saddle) })
        {
            var expected = tree.Nodes.Where(n => n.Kind == kind).Select(n => Bumpy.GetCoordinates(n.Vertex)).Select(c => (c[0], c[1])).Order().ToArray();
            var drawn = markers[legend].Data.GetScatterPoints().Select(c => (c.X, c.Y)).Order().ToArray();
            Assert.That(expected, Is.Not.Empty, $"the bumpy landscape has {legend}");
            Assert.That(drawn, Is.EqualTo(expected), legend);
        }
    }

    [Test]
    public void CanClipOutliersAndLogScale()
    {
        double[] shown = LandscapeHeatmap.DisplayValues([1, 2, 3, 4, 1000], new LandscapeHeatmapOptions { ClipQuantile = 0.75 });
        Assert.That(shown, Is.EqualTo(new double[] { 1, 2, 3, 4, 4 }));
        double[] logged = LandscapeHeatmap.DisplayValues([1, 11, 101], new LandscapeHeatmapOptions { Scale = ColorScale.Log });
        // log10(v − min + ε) with ε half the smallest rise above the minimum (here 10 / 2): the minimum stays finite.
        Assert.That(logged, Is.EqualTo(new[] { Math.Log10(5), Math.Log10(15), Math.Log10(105) }).Within(1e-12));
    }

    [Test]
    public void CanDrawMergeTreeDiagramDensityAndSweep()
    {
        MergeTree tree = new MergeTreeBuilder().Build(GridGraphBuilder.Full, Bumpy);
        Assert.That(tree.MinimumCount, Is.GreaterThanOrEqualTo(2));
        PngAssert.HasSizeAndContent(PlotFiles.ToPng(MergeTreePlot.Create(tree), 600, 400), 600, 400);
        PngAssert.HasSizeAndContent(PlotFiles.ToPng(PersistenceDiagramPlot.Create(tree.ToPersistenceDiagram()), 500, 500), 500, 500);
        var density = new SpectralDensity([[0.5, 2.0, 9.0]], [[0.6, 0.3, 0.1]], [[]], [[]], 3);
        PngAssert.HasSizeAndContent(PlotFiles.ToPng(SpectralDensityPlot.Create(density), 500, 300), 500, 300);
        PngAssert.HasSizeAndContent(PlotFiles.ToPng(SweepPlot.Create("beta", [1, 3, 5, 7, 10], "saddles", [1, 2, 4, 9, 12], "error", [0.01, 0.02, 0.3, 0.9, 1.0]), 600, 400), 600, 400);
    }

    [Test]
    public void CanSaveSvgAndRejectOtherExtensions()
    {
        string folder = Directory.CreateTempSubdirectory("llt-plot").FullName;
        try
        {
            var plot = PersistenceDiagramPlot.Create(new MergeTreeBuilder().Build(GridGraphBuilder.Full, Bumpy).ToPersistenceDiagram());
            PlotFiles.Save(plot, Path.Combine(folder, "d.svg"));
            Assert.That(File.ReadAllText(Path.Combine(folder, "d.svg")), Does.Contain("<svg"));
            Assert.That(Assert.Throws<ArgumentException>(() => PlotFiles.Save(plot, Path.Combine(folder, "d.bmp")))!.Message, Does.Contain(".png or .svg"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void CanWriteSelfContainedSurfacePage()
    {
        string html = SurfaceHtml.Create(Bumpy, "surface");
        Assert.That(html.Length, Is.GreaterThan(1_000_000), "plotly.js is embedded");
        Assert.That(html, Does.Not.Contain("<script src="), "no external script: the page opens offline");
        Assert.That(html, Does.Contain("\"type\":\"surface\"").And.Contain("alpha2"));
    }

    [Test]
    public void HeatmapFailsOnLandscapeThatIsNotTwoDimensional()
    {
        var line = Landscape.FromGrid([1.0, 2, 3], [3]);
        Assert.That(Assert.Throws<ArgumentException>(() => LandscapeHeatmap.Create(line))!.Message, Does.Contain("2-D grid"));
    }
}
