using System.Diagnostics;
using System.Globalization;
using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;
using LossLandscape.Topology.Plotting;
using LossLandscape.Topology.Studies;
using LossLandscape.Topology.Torch.Analysis;
using static TorchSharp.torch;

namespace PinnConvection;

/// <summary>
/// The paper's PINN convection study (Sec. 3.2, Figs. 2 and 6) on <see cref="LandscapeAnalysis"/>: for each β, train,
/// measure the error, run the one-call analysis (Hessian numbers; random directions under several seeds and the top-2
/// Hessian eigenvectors; merge trees, diagrams, metrics), then test the paper's claims on the whole sweep and write
/// the study folder through the library's report writer.
/// </summary>
internal static class ConvectionStudy
{
    /// <summary>The paper's claims of Sec. 3.2 and Fig. 6, as columns of the sweep.</summary>
    public static IReadOnlyList<Claim> Claims { get; } =
    [
        new("The number of saddles rises with β (Fig. 6)", "saddles", "beta", "random", +1),
        new("The number of saddles rises with β (Fig. 6)", "saddles", "beta", "hessian", +1),
        new("Average persistence rises with β (Fig. 6; TTK convention)", "avg_persistence", "beta", "random", +1),
        new("Average persistence rises with β (Fig. 6; TTK convention)", "avg_persistence", "beta", "hessian", +1),
        new("Average persistence rises with β (finite pairs only)", "avg_persistence_finite", "beta", "random", +1),
        new("Average persistence rises with β (finite pairs only)", "avg_persistence_finite", "beta", "hessian", +1),
        new("The error rises with β (Sec. 3.2)", "rel_error", "beta", "hessian", +1),
        new("The top Hessian eigenvalue rises with β (Fig. 6)", "top_eigenvalue", "beta", "hessian", +1),
        new("The Hessian trace rises with β (Fig. 6)", "trace", "beta", "hessian", +1),
        new("The topology grows more complex as the PINN fails (Sec. 3.2)", "saddles", "rel_error", "random", +1),
        new("The topology grows more complex as the PINN fails (Sec. 3.2)", "saddles", "rel_error", "hessian", +1),
    ];

    public static StudyResult Run(StudyOptions options, TextWriter log)
    {
        Directory.CreateDirectory(options.Output);
        var device = new Device(options.Device);
        var sweep = new LandscapeSweep();
        var sections = new List<(string, IReadOnlyList<string>)>();
        var total = Stopwatch.StartNew();
        foreach (double beta in options.Betas)
        {
            (LandscapeAnalysisResult result, Dictionary<string, double> measured, IReadOnlyList<string> figures) = RunBeta(beta, options, device, log);
            sweep = sweep.Add(new Dictionary<string, double> { ["beta"] = beta }, result, measured);
            sections.Add(($"β = {beta.ToString(CultureInfo.InvariantCulture)}", figures));
        }

        IReadOnlyList<ClaimResult> claims = sweep.Test(Claims, new BootstrapOptions { Seed = options.Seed });
        string report = StudyReport.Write(options.Output, sweep.Table, claims, new StudyReportOptions
        {
            Title = "PINN convection study: the topology of the loss landscape",
            Description =
            [
                "u_t + β u_x = 0 on x ∈ [0, 2π), t ∈ [0, 1], u(x, 0) = sin x, periodic boundary; a tanh MLP trained on initial + residual + boundary losses, after the paper's Sec. 3.2 (Figs. 2 and 6).",
                string.Create(CultureInfo.InvariantCulture, $"This run: β ∈ {{{string.Join(", ", options.Betas)}}}, {options.AdamSteps} Adam steps (lr {options.LearningRate}){(options.LbfgsSteps > 0 ? $" + {options.LbfgsSteps} L-BFGS" : string.Empty)}, {options.CollocationPoints} collocation points, MLP 2 → {string.Join(" → ", Enumerable.Repeat(options.Width, options.Depth))} → 1; {options.GridSize}×{options.GridSize} landscapes on [−{options.Range}, {options.Range}]² along {options.DirectionSeeds} random (filter-normalised) subspaces and the top-2 Hessian eigenvectors scaled to ‖θ‖; 8-neighbour merge trees; seed {options.Seed}; {total.Elapsed:mm\\:ss} in all."),
                "The paper sees the PINN fail around β ≈ 7 with its training; failure here is where the relative L2 error exceeds 0.5 (see rel_error). Verdicts come from this run's data alone, not from the paper's numbers.",
            ],
            Labels = new Dictionary<string, string> { ["beta"] = "β", ["rel_error"] = "relative L2 error" },
            TableColumns = ["rel_error", "minima", "boundary_minima", "saddles", "avg_persistence", "avg_persistence_finite", "top_eigenvalue", "trace"],
            Sections = sections,
        });
        log.WriteLine();
        foreach (ClaimResult c in claims)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Verdict.ToString().ToLowerInvariant(),-13} {c.Claim.Metric} vs {c.Claim.Against} ({c.Claim.Directions}): ρ = {c.Correlation.Rho:F2}, 95% CI [{c.Correlation.Low:F2}, {c.Correlation.High:F2}], n = {c.Correlation.Count}"));
        }

        log.WriteLine($"Done in {total.Elapsed:mm\\:ss}. Report: {Path.GetFullPath(report)}");
        return new StudyResult(sweep, claims, total.Elapsed);
    }

    private static (LandscapeAnalysisResult, Dictionary<string, double>, IReadOnlyList<string>) RunBeta(double beta, StudyOptions options, Device device, TextWriter log)
    {
        string tag = $"beta_{beta.ToString(CultureInfo.InvariantCulture)}";
        string folder = Path.Combine(options.Output, tag);
        Directory.CreateDirectory(folder);
        log.WriteLine($"β = {beta}");

        using var problem = ConvectionProblem.Create(beta, options.CollocationPoints, options.InitialPoints, options.BoundaryPoints, options.Seed, device);
        using var model = ConvectionPinn.CreateModel(options.Width, options.Depth, options.Seed, device);
        var status = new LossLandscape.Topology.Examples.StatusLine(Console.Out);
        double trainLoss;
        try
        {
            trainLoss = ConvectionPinn.Train(model, problem, options.AdamSteps, options.LbfgsSteps, options.LearningRate,
                options.Quiet ? null : (step, value) => status.Update($"  training               step {step}/{options.AdamSteps + options.LbfgsSteps}, loss {value:E3}"));
        }
        finally
        {
            status.End();
        }

        // Error against the exact solution sin(x − βt) on a 128 × 64 grid.
        const int Nx = 128;
        const int Nt = 64;
        double[,] predicted = ConvectionPinn.Predict(model, Nx, Nt, device);
        double[,] exact = ConvectionProblem.Exact(beta, Nx, Nt);
        (double absolute, double relative) = Errors(predicted, exact);
        log.WriteLine($"  trained: loss {trainLoss:E3}, mean absolute error {absolute:F4}, relative L2 error {relative:F4}");
        SaveSolutionFigures(folder, beta, predicted, exact);

        var loss = ConvectionPinn.LossFunction(model, problem, options.BatchSize);
        var analysisOptions = new LandscapeAnalysisOptions
        {
            Resolution = options.GridSize,
            Range = options.Range,
            RandomDirectionSeeds = options.DirectionSeeds,
            TraceProducts = options.HutchPlusPlusProducts,
            DensitySteps = options.DensitySteps,
        };
        var progress = options.Quiet ? null : new LossLandscape.Topology.Examples.AnalysisProgressBar(Console.Out);
        LandscapeAnalysisResult result;
        try
        {
            result = new LandscapeAnalysis(options.Seed).Analyze(loss, analysisOptions, progress);
        }
        finally
        {
            progress?.Finish();
        }

        HessianSummary h = result.Hessian;
        log.WriteLine($"  Hessian: λ1 = {h.TopEigenvalues[0]:G5}, λ2 = {h.TopEigenvalues[1]:G5}, trace ≈ {h.Trace!.Estimate:G5} ± {h.Trace.StandardError:G2} ({h.Products} products)");
        log.WriteLine($"  random  landscapes: saddles {result.Spread(DirectionKind.Random, m => m.SaddleCount)}, average persistence {result.Spread(DirectionKind.Random, m => m.AveragePersistence)} (finite pairs {result.Spread(DirectionKind.Random, m => m.AverageFinitePersistence)})");
        SubspaceAnalysis hessian = result.Of(DirectionKind.Hessian).Single();
        log.WriteLine($"  hessian landscape: {hessian.Metrics.MinimumCount} minima ({hessian.Metrics.BoundaryMinimumCount} on the boundary), {hessian.Metrics.SaddleCount} saddles, average persistence {hessian.Metrics.AveragePersistence:G4} (finite pairs {hessian.Metrics.AverageFinitePersistence:G4})");

        var figures = new List<string> { $"{tag}/solution_predicted.png", $"{tag}/solution_exact.png", $"{tag}/solution_error.png" };
        PlotFiles.Save(SpectralDensityPlot.Create(h.Density!, $"Hessian eigenvalue density, β = {beta}"), Path.Combine(folder, "hessian_density.png"));
        figures.Add($"{tag}/hessian_density.png");
        foreach ((string kind, SubspaceAnalysis s) in new[] { ("random", result.Of(DirectionKind.Random).First()), ("hessian", hessian) })
        {
            SaveLandscapeFiles(folder, kind, beta, s.Landscape, s.Tree, s.Diagram);
            figures.AddRange([$"{tag}/{kind}_landscape.png", $"{tag}/{kind}_merge_tree.png", $"{tag}/{kind}_persistence_diagram.png", $"{tag}/{kind}_persistence_barcode.png", $"{tag}/{kind}_surface.html"]);
        }

        var measured = new Dictionary<string, double> { ["train_loss"] = trainLoss, ["abs_error"] = absolute, ["rel_error"] = relative };
        return (result, measured, figures);
    }

    private static (double Absolute, double Relative) Errors(double[,] predicted, double[,] exact)
    {
        double sum = 0;
        double squared = 0;
        double reference = 0;
        foreach ((double p, double e) in predicted.Cast<double>().Zip(exact.Cast<double>()))
        {
            sum += Math.Abs(p - e);
            squared += (p - e) * (p - e);
            reference += e * e;
        }

        return (sum / predicted.Length, Math.Sqrt(squared / reference));
    }

    private static void SaveSolutionFigures(string folder, double beta, double[,] predicted, double[,] exact)
    {
        int nt = predicted.GetLength(0);
        int nx = predicted.GetLength(1);
        Landscape AsField(double[,] u)
        {
            var values = new double[nx * nt];
            for (int i = 0; i < nx; i++)
            {
                for (int j = 0; j < nt; j++)
                {
                    values[(i * nt) + j] = u[j, i];
                }
            }

            return Landscape.FromGrid(values, [nx, nt], [LandscapeAxis.Linspace("x", 0, 2 * Math.PI * (nx - 1) / nx, nx), LandscapeAxis.Linspace("t", 0, 1, nt)]);
        }

        // Predicted and exact u on one colour range (that of the exact solution, widened to the prediction's), so the
        // two maps compare by eye; the error map has its own, symmetric range.
        var error = new double[nt, nx];
        double low = double.PositiveInfinity, high = double.NegativeInfinity, worst = 0;
        for (int j = 0; j < nt; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                error[j, i] = predicted[j, i] - exact[j, i];
                low = Math.Min(low, Math.Min(predicted[j, i], exact[j, i]));
                high = Math.Max(high, Math.Max(predicted[j, i], exact[j, i]));
                worst = Math.Max(worst, Math.Abs(error[j, i]));
            }
        }

        var options = new LandscapeHeatmapOptions { ContourCount = 0, MarkMinimum = false, ValueLabel = "u(x, t)", ColorRange = (low, high) };
        PlotFiles.Save(LandscapeHeatmap.Create(AsField(predicted), options with { Title = $"PINN prediction u(x, t), β = {beta}" }), Path.Combine(folder, "solution_predicted.png"), 640, 360);
        PlotFiles.Save(LandscapeHeatmap.Create(AsField(exact), options with { Title = $"Exact solution sin(x − βt), β = {beta}" }), Path.Combine(folder, "solution_exact.png"), 640, 360);
        PlotFiles.Save(LandscapeHeatmap.Create(AsField(error), options with { Title = $"Error: prediction − exact, β = {beta}", ValueLabel = "u − u_exact", ColorRange = (-Math.Max(worst, 1e-12), Math.Max(worst, 1e-12)) }), Path.Combine(folder, "solution_error.png"), 640, 360);
    }

    private static void SaveLandscapeFiles(string folder, string kind, double beta, Landscape landscape, MergeTree tree, PersistenceDiagram diagram)
    {
        string prefix = Path.Combine(folder, kind);
        PlotFiles.Save(LandscapeHeatmap.Create(landscape, new LandscapeHeatmapOptions { Scale = ColorScale.Log, CriticalPoints = tree, Title = $"Loss landscape ({kind} directions), β = {beta}" }), prefix + "_landscape.png");
        PlotFiles.Save(MergeTreePlot.Create(tree, $"Merge tree ({kind}), β = {beta}: {tree.MinimumCount} minima, {tree.SaddleCount} saddles"), prefix + "_merge_tree.png");
        PlotFiles.Save(PersistenceBarcodePlot.Create(diagram, new PersistenceDiagramPlotOptions { Title = $"Persistence barcode ({kind}), β = {beta}" }), prefix + "_persistence_barcode.png");
        PlotFiles.Save(PersistenceDiagramPlot.Create(diagram, $"Persistence diagram ({kind}), β = {beta}"), prefix + "_persistence_diagram.png", 600, 600);
        SurfaceHtml.Save(landscape, prefix + "_surface.html", $"Loss landscape ({kind} directions), β = {beta}");
        NpyFile.Write(prefix + "_landscape.npy", landscape);
        VtkFiles.WriteImageData(prefix + "_landscape.vti", landscape);
        VtkFiles.WriteMergeTree(prefix + "_merge_tree.vtp", tree);
        CsvFiles.WritePersistenceDiagram(prefix + "_persistence_diagram.csv", diagram);
    }
}

/// <summary>What the study produced: the sweep, the claims' verdicts and the wall time.</summary>
internal sealed record StudyResult(LandscapeSweep Sweep, IReadOnlyList<ClaimResult> Claims, TimeSpan Elapsed);
