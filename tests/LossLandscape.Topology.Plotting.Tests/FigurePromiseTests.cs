using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Studies;
using ScottPlot;

namespace LossLandscape.Topology.Plotting.Tests;

/// <summary>Each figure draws what its name and options promise: layers, labels, scales, the ∞ edge, a planar tree.</summary>
public class FigurePromiseTests
{
    private static MergeTree Tree(Landscape l) => new MergeTreeBuilder().Build(GridGraphBuilder.Full, l);

    private static IEnumerable<string> Legends(Plot plot) => plot.GetPlottables().OfType<IHasLegendText>().Select(p => p.LegendText);

    [Test]
    public void HeatmapDrawsTheLayersAndLabelsItIsGiven()
    {
        Landscape wells = GalleryTests.Wells;
        Plot plot = LandscapeHeatmap.Create(wells, new LandscapeHeatmapOptions { CriticalPoints = Tree(wells), ValueLabel = "test loss", XLabel = "δ", YLabel = "η", ColorRange = (0, 3) });
        Assert.That(plot.GetPlottables<ScottPlot.Plottables.ContourLines>(), Has.Exactly(1).Items, "contours by default");
        Assert.That(Legends(plot), Does.Contain("minima").And.Contain("saddles"));
        Assert.That(Legends(plot).Any(t => t.StartsWith("lowest (", StringComparison.Ordinal)), "the minimum is a marker");
        Assert.That(plot.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>().Single().Label, Is.EqualTo("test loss"));
        Assert.That((plot.Axes.Bottom.Label.Text, plot.Axes.Left.Label.Text), Is.EqualTo(("δ", "η")));
        var heatmap = plot.GetPlottables<ScottPlot.Plottables.Heatmap>().Single();
        Assert.That((heatmap.ManualRange!.Value.Min, heatmap.ManualRange.Value.Max), Is.EqualTo((0.0, 3.0)));

        Plot bare = LandscapeHeatmap.Create(wells, new LandscapeHeatmapOptions { ContourCount = 0, MarkMinimum = false });
        Assert.That(bare.GetPlottables<ScottPlot.Plottables.ContourLines>(), Is.Empty);
        Assert.That(Legends(bare), Is.Empty);
        Assert.That(bare.Axes.Bottom.Label.Text, Is.EqualTo("alpha1"), "axis names from the landscape by default");
        PngAssert.HasSizeAndContent(PlotFiles.ToPng(bare, 640, 360), 640, 360);

        Plot log = LandscapeHeatmap.Create(GalleryTests.Steep, new LandscapeHeatmapOptions { Scale = ColorScale.Log });
        Assert.That(log.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>().Single().Label, Is.EqualTo("loss − min (log)"));
        double[] shown = LandscapeHeatmap.DisplayValues(GalleryTests.Steep.Values, new LandscapeHeatmapOptions { Scale = ColorScale.Log });
        Assert.That(shown.All(double.IsFinite), "the minimum is no −∞ pixel");
    }

    [Test]
    public void MergeTreeIsPlanarOnRandomGridsWithTies()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 40; trial++)
        {
            int nx = random.Next(3, 18);
            int ny = random.Next(3, 18);
            double[] values = Enumerable.Range(0, nx * ny).Select(_ => (double)random.Next(12)).ToArray();
            MergeTree tree = Tree(Landscape.FromGrid(values, [nx, ny]));
            MergeTreeLayout layout = MergeTreeLayout.Of(tree);
            var branches = tree.Branches;
            Assert.That(layout.BranchX.Order(), Is.EqualTo(Enumerable.Range(0, branches.Length).Select(i => (double)i)), "one column per branch, no gaps");
            foreach (MergeTreeBranch c in branches.Where(b => !b.IsEssential))
            {
                double from = Math.Min(layout.BranchX[c.Id], layout.BranchX[c.Parent]);
                double to = Math.Max(layout.BranchX[c.Id], layout.BranchX[c.Parent]);
                Assert.That(layout.X[c.Top], Is.EqualTo(layout.BranchX[c.Parent]), "a branch ends on its parent's line");

                // The connector at the saddle's height crosses no vertical segment that rises above it.
                foreach (MergeTreeBranch other in branches.Where(o => o.Id != c.Id && o.Id != c.Parent))
                {
                    double x = layout.BranchX[other.Id];
                    if (x > from && x < to)
                    {
                        Assert.That(tree.Nodes[other.Top].Value, Is.LessThanOrEqualTo(c.Death), $"trial {trial}: branch {other.Id} crosses the connector of {c.Id}");
                    }
                }
            }

            MergeTreeBranch trunk = branches.Single(b => b.IsEssential);
            Assert.That(layout.X[tree.Roots[0]], Is.EqualTo(layout.BranchX[trunk.Id]), "the root on the trunk");
        }
    }

    [Test]
    public void MergeTreeChoosesALogAxisBeyondTwoDecadesAndLabelsTheMostPersistentMinima()
    {
        Plot steep = MergeTreePlot.Create(Tree(GalleryTests.Steep));
        Assert.That(steep.Axes.Left.Label.Text, Does.StartWith("loss − min + ε (log"));
        Plot wells = MergeTreePlot.Create(Tree(GalleryTests.Wells), new MergeTreePlotOptions { ValueLabel = "test loss", LabeledMinima = 2 });
        Assert.That(wells.Axes.Left.Label.Text, Is.EqualTo("test loss"), "linear within two decades");
        Assert.That(wells.GetPlottables<ScottPlot.Plottables.Text>().Select(t => t.LabelText[..2]), Is.EqualTo(new[] { "m1", "m2" }));
        Assert.That(wells.Axes.Bottom.TickLabelStyle.IsVisible, Is.False, "no numeric horizontal axis");
        Plot clipped = MergeTreePlot.Create(Tree(GalleryTests.Steep), new MergeTreePlotOptions { Scale = ValueScale.Clipped, ClipQuantile = 0.5 });
        Assert.That(clipped.Axes.Left.Label.Text, Does.StartWith("loss (clipped at "));
    }

    [Test]
    public void DiagramAndBarcodeDrawTheEssentialClassOnTheInfinityEdge()
    {
        var diagram = Tree(GalleryTests.Wells).ToPersistenceDiagram();
        Plot plot = PersistenceDiagramPlot.Create(diagram, new PersistenceDiagramPlotOptions { ValueLabel = "test loss" });
        var markers = plot.GetPlottables<ScottPlot.Plottables.Markers>().ToList();
        double highestFinite = markers.Single(m => m.LegendText.StartsWith("pairs", StringComparison.Ordinal)).Data.GetScatterPoints().Max(p => p.Y);
        double essential = markers.Single(m => m.LegendText.StartsWith("never dies", StringComparison.Ordinal)).Data.GetScatterPoints().Single().Y;
        Assert.That(essential, Is.GreaterThan(highestFinite), "above every finite death");
        Assert.That(essential, Is.LessThan(diagram.Essential[0].Maximum), "not at the landscape's maximum");
        Assert.That((plot.Axes.Bottom.Label.Text, plot.Axes.Left.Label.Text), Is.EqualTo(("birth (test loss)", "death (test loss)")));

        Plot barcode = PersistenceBarcodePlot.Create(diagram);
        Assert.That(barcode.GetPlottables<ScottPlot.Plottables.LinePlot>().Count(), Is.EqualTo(diagram.Pairs.Length + diagram.Essential.Length), "one bar per pair and per essential class");
    }

    [Test]
    public void SurfacePagesShareOneScriptAndStaySmall()
    {
        string folder = Directory.CreateTempSubdirectory("llt-surface").FullName;
        try
        {
            SurfaceHtml.Save(GalleryTests.Wells, Path.Combine(folder, "a.html"));
            SurfaceHtml.Save(GalleryTests.Steep, Path.Combine(folder, "b.html"));
            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "a.html", "b.html", SurfaceHtml.ScriptFileName }));
            Assert.That(new FileInfo(Path.Combine(folder, "a.html")).Length, Is.LessThan(100_000), "41 × 41 without the script");
            Assert.That(File.ReadAllText(Path.Combine(folder, "a.html")), Does.Contain($"src=\"{SurfaceHtml.ScriptFileName}\""));

            var big = Landscape.FromFunction(p => p[0] * p[1], LandscapeAxis.Linspace("a", -1, 1, 1000), LandscapeAxis.Linspace("b", -1, 1, 1000));
            SurfaceHtml.Save(big, Path.Combine(folder, "big.html"));
            string page = File.ReadAllText(Path.Combine(folder, "big.html"));
            Assert.That(page.Length, Is.LessThan(5_000_000), "decimated to a size a browser opens quickly");
            Assert.That(page, Does.Contain("(1 in 3 samples along each axis of 1000 x 1000)"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void TitlesFitTheirPictureAndConditionsAreNamedCategories()
    {
        string wrapped = TitleText.Wrap("Merge tree (random directions, seed 12345), β = 40: 17 minima, 16 saddles, of which 5 lie on the boundary of the grid", TitleText.LineLength(800));
        Assert.That(wrapped.Split('\n').Max(l => l.Length), Is.LessThanOrEqualTo(TitleText.LineLength(800)));
        Assert.That(wrapped.Replace('\n', ' '), Does.Contain("17 minima, 16 saddles"), "nothing lost in the wrapping");

        SweepTable table = GalleryTests.Conditions();
        var claim = new Claim("More saddles without residual connections", "saddles", "residual", null, -1).Test(table, new BootstrapOptions { Seed = 1 });
        Plot plot = ClaimPlot.Create(table, claim, "architecture", new Dictionary<double, string> { [0] = "plain", [1] = "residual" });
        PlotFiles.ToPng(plot); // ticks are generated when drawn
        Tick[] ticks = plot.Axes.Bottom.TickGenerator.Ticks;
        Assert.That(ticks.Where(t => t.IsMajor).Select(t => (t.Position, t.Label)), Is.EqualTo(new[] { (0.0, "plain"), (1.0, "residual") }));

        Plot sweep = SweepPlot.Create("β", [1, 5, 10], "saddles", [1, 2, 3], "error", [0.1, 0.2, 0.3]);
        PlotFiles.ToPng(sweep);
        Assert.That(sweep.Axes.GetPanels().OfType<ScottPlot.Panels.LegendPanel>(), Is.Not.Empty, "the legend is a panel beside the chart, not over it");
    }

    [Test]
    public void LargeLandscapesAreDrawnFromWhatAPictureCanShow()
    {
        var random = new Random(4);
        Landscape big = Landscape.FromGrid(Enumerable.Range(0, 1500 * 40).Select(_ => random.NextDouble()).ToArray(), [1500, 40]);
        MergeTree tree = Tree(big);
        Assert.That(tree.Branches.Length, Is.GreaterThan(2000));

        Plot merge = MergeTreePlot.Create(tree, new MergeTreePlotOptions { MaxBranches = 50 });
        Assert.That(merge.GetPlottables<ScottPlot.Plottables.Scatter>().Count(), Is.EqualTo(50), "one line per drawn branch");
        PngAssert.HasSizeAndContent(PlotFiles.ToPng(merge), PlotFiles.DefaultWidth, PlotFiles.DefaultHeight);
        Assert.That(merge.Axes.Title.Label.Text.Replace('\n', ' '), Does.Contain($"(the 50 most persistent of {tree.Branches.Length:N0} branches)"));

        // The kept branches still form a planar tree.
        var kept = tree.Branches.OrderByDescending(b => b.Persistence).ThenBy(b => b.Id).Take(50).ToArray();
        var keep = new bool[tree.Branches.Length];
        foreach (MergeTreeBranch b in kept)
        {
            keep[b.Id] = true;
        }

        Assert.That(kept.Where(b => !b.IsEssential).All(b => keep[b.Parent]), "a parent is at least as persistent as its child");
        MergeTreeLayout layout = MergeTreeLayout.Of(tree, keep);
        Assert.That(kept.Select(b => layout.BranchX[b.Id]).Order(), Is.EqualTo(Enumerable.Range(0, 50).Select(i => (double)i)));

        Plot diagram = PersistenceDiagramPlot.Create(tree.ToPersistenceDiagram(), new PersistenceDiagramPlotOptions { MaxPoints = 200 });
        Assert.That(Legends(diagram).Any(t => t.StartsWith("pairs (the 200 most persistent of ", StringComparison.Ordinal)));

        Plot barcode = PersistenceBarcodePlot.Create(tree.ToPersistenceDiagram(), new PersistenceDiagramPlotOptions { MaxBars = 100 });
        Assert.That(barcode.GetPlottables<ScottPlot.Plottables.LinePlot>().Count(), Is.EqualTo(100));
        Assert.That(barcode.Axes.Left.Label.Text, Does.StartWith("the 100 most persistent of "));

        (double[,] data, _) = LandscapeHeatmap.Pixels(big, LandscapeHeatmap.DisplayValues(big.Values, LandscapeHeatmapOptions.Default), 1024);
        Assert.That((data.GetLength(1), data.GetLength(0)), Is.EqualTo((750, 20)), "blocks of 2 × 2 samples");
        Assert.That(data[0, 0], Is.EqualTo(new[] { big.Values[0], big.Values[1], big.Values[40], big.Values[41] }.Min()), "a block shows its minimum");
        Plot map = LandscapeHeatmap.Create(big, new LandscapeHeatmapOptions { CriticalPoints = tree, MaxCriticalPoints = 30 });
        Assert.That(Legends(map).Any(t => t.StartsWith("minima (the 30 most persistent of ", StringComparison.Ordinal)));
    }
}
