using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Studies;

namespace LossLandscape.Topology.Plotting.Tests;

/// <summary>
/// Every figure type from fixed data: docs/gallery.md shows them. With LLT_UPDATE_GALLERY=1 the test writes into
/// docs/gallery (commit the result, so a change to a plot shows in review); otherwise into a temporary folder.
/// </summary>
public class GalleryTests
{
    /// <summary>Five wells of different depths on a tilted plane: several basins, saddles between them.</summary>
    public static Landscape Wells { get; } = Landscape.FromFunction(
        p =>
        {
            double v = 0.3 * (p[0] + 1.2);
            (double X, double Y, double Depth, double Width)[] wells = [(-0.5, -0.4, 1.0, 0.35), (0.45, 0.5, 0.8, 0.3), (0.55, -0.5, 0.6, 0.25), (-0.55, 0.55, 0.45, 0.2), (0.0, 0.05, 0.3, 0.15)];
            foreach ((double x, double y, double depth, double width) in wells)
            {
                v -= depth * Math.Exp(-(((p[0] - x) * (p[0] - x)) + ((p[1] - y) * (p[1] - y))) / (2 * width * width));
            }

            return v + 1.5;
        },
        LandscapeAxis.Linspace("alpha1", -1, 1, 41),
        LandscapeAxis.Linspace("alpha2", -1, 1, 41));

    /// <summary>A landscape along Hessian-like directions: values from 10⁻³ to 10⁴, small basins near the bottom.</summary>
    public static Landscape Steep { get; } = Landscape.FromFunction(
        p => (0.003 + (0.01 * (1 + Math.Cos(9 * p[0]) * Math.Cos(7 * p[1])))) * Math.Exp(9 * ((p[0] * p[0]) + (p[1] * p[1]))),
        LandscapeAxis.Linspace("alpha1", -1, 1, 41),
        LandscapeAxis.Linspace("alpha2", -1, 1, 41));

    private static string Folder()
    {
        if (Environment.GetEnvironmentVariable("LLT_UPDATE_GALLERY") == "1")
        {
            string? dir = TestContext.CurrentContext.TestDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "LossLandscape.Topology.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return Path.Combine(dir ?? throw new InvalidOperationException("no LossLandscape.Topology.sln above the test folder"), "docs", "gallery");
        }

        return Directory.CreateTempSubdirectory("llt-gallery").FullName;
    }

    [Test]
    public void WritesEveryFigureType()
    {
        string folder = Folder();
        Directory.CreateDirectory(folder);
        MergeTree wells = new MergeTreeBuilder().Build(GridGraphBuilder.Full, Wells);
        MergeTree steep = new MergeTreeBuilder().Build(GridGraphBuilder.Full, Steep);

        var files = new Dictionary<string, ScottPlot.Plot>
        {
            ["heatmap_linear.png"] = LandscapeHeatmap.Create(Wells, new LandscapeHeatmapOptions { CriticalPoints = wells, Title = "Heatmap, linear scale, critical points" }),
            ["heatmap_log.png"] = LandscapeHeatmap.Create(Steep, new LandscapeHeatmapOptions { Scale = ColorScale.Log, CriticalPoints = steep, Title = "Heatmap, log scale (values 10⁻³ … 10⁴)" }),
            ["heatmap_clipped.png"] = LandscapeHeatmap.Create(Steep, new LandscapeHeatmapOptions { ClipQuantile = 0.5, CriticalPoints = steep, Title = "Heatmap, clipped at the median (as the paper's Fig. 1)" }),
            ["merge_tree.png"] = MergeTreePlot.Create(wells, new MergeTreePlotOptions { Title = "Merge tree (linear value axis)" }),
            ["merge_tree_log.png"] = MergeTreePlot.Create(steep, new MergeTreePlotOptions { Title = "Merge tree, values over six decades (log axis chosen)" }),
            ["persistence_diagram.png"] = PersistenceDiagramPlot.Create(wells.ToPersistenceDiagram(), "Persistence diagram (essential class on the ∞ edge)"),
            ["persistence_diagram_log.png"] = PersistenceDiagramPlot.Create(steep.ToPersistenceDiagram(), new PersistenceDiagramPlotOptions { Scale = ValueScale.Log, Title = "Persistence diagram, log axes (loss − min + ε)" }),
            ["persistence_barcode.png"] = PersistenceBarcodePlot.Create(wells.ToPersistenceDiagram()),
            ["spectral_density.png"] = SpectralDensityPlot.Create(Density(), "Hessian eigenvalue density (SLQ)"),
            ["claim_categories.png"] = ClaimPlot.Create(Conditions(), new Claim("More saddles without residual connections", "saddles", "residual", null, -1).Test(Conditions(), new BootstrapOptions { Seed = 1 }), "architecture", new Dictionary<double, string> { [0] = "plain", [1] = "residual" }),
            ["topological_profile.png"] = TopologicalProfilePlot.Create(TopologicalProfile.Of(wells, GridGraphBuilder.Full.Build(Wells)), "Topological landscape profile (Landscaper's): five wells, nested by merge"),
            ["sweep_chart.png"] = SweepPlot.Create("β", [1, 5, 10, 20, 30, 40], "saddles", [2, 3, 3, 5, 4, 6], "relative error", [0.02, 0.03, 0.07, 0.56, 0.85, 0.92], "Sweep: a count and a measurement against β"),
        };
        foreach ((string name, ScottPlot.Plot plot) in files)
        {
            PlotFiles.Save(plot, Path.Combine(folder, name));
        }

        foreach (string name in files.Keys)
        {
            PngAssert.HasSizeAndContent(File.ReadAllBytes(Path.Combine(folder, name)), PlotFiles.DefaultWidth, PlotFiles.DefaultHeight);
        }
    }

    /// <summary>Two named conditions (0 = plain, 1 = residual), six models each.</summary>
    public static SweepTable Conditions()
    {
        var table = new SweepTable();
        int[] saddles = [4, 5, 3, 6, 4, 5, 1, 2, 1, 0, 2, 1];
        for (int i = 0; i < saddles.Length; i++)
        {
            table = table.Add(new SweepRow(new Dictionary<string, string> { ["model"] = $"m{i}" }, new Dictionary<string, double> { ["residual"] = i < 6 ? 0 : 1, ["saddles"] = saddles[i] }));
        }

        return table;
    }

    /// <summary>SLQ of a fixed 60 × 60 matrix with a spread spectrum (a few large eigenvalues, a bulk near 0).</summary>
    private static SpectralDensity Density()
    {
        int n = 60;
        var random = new Random(5);
        var q = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Random(n, n, new MathNet.Numerics.Distributions.Normal(0, 1, new MathNet.Numerics.Random.Xoshiro256StarStar(5))).QR().Q;
        var d = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DiagonalOfDiagonalArray(Enumerable.Range(0, n).Select(i => i < 3 ? 40.0 - (10 * i) : (random.NextDouble() - 0.3) * 2).ToArray());
        var a = q * d * q.Transpose();
        a = (a + a.Transpose()) / 2;
        var values = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                values[(i * n) + j] = a[i, j];
            }
        }

        return new SpectralAnalyzer(new DenseSymmetricOperator(values)).SpectralDensity(new SpectralDensityOptions { Steps = 40, Runs = 2, Seed = 1 });
    }
}
