using System.Diagnostics;
using System.Globalization;
using LossLandscape.Topology.Examples;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Persistence;
using LossLandscape.Topology.Plotting;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Parameters;
using LossLandscape.Topology.Torch.Sampling;
using static TorchSharp.torch;

namespace PinnConvection;

/// <summary>One row of metrics.csv: one β and one kind of directions.</summary>
internal sealed record StudyRow(
    double Beta,
    string Directions,
    double TrainLoss,
    double AbsoluteError,
    double RelativeError,
    TopologyMetrics Metrics,
    double AveragePersistenceFinitePairs,
    double TopEigenvalue,
    double SecondEigenvalue,
    double Trace,
    double TraceStandardError,
    int HessianProducts,
    double LandscapeMinimum,
    double LandscapeMaximum,
    double Seconds);

/// <summary>
/// The paper's PINN convection study (Sec. 3.2, Figs. 2 and 6): for each β, train, measure the error, sample the
/// landscape along random and Hessian directions, compute merge trees, diagrams and metrics, and the Hessian's
/// top eigenvalues, trace and density; write the figures, metrics.csv and report.html.
/// </summary>
internal static class ConvectionStudy
{
    public static IReadOnlyList<StudyRow> Run(StudyOptions options, TextWriter log)
    {
        Directory.CreateDirectory(options.Output);
        var device = new Device(options.Device);
        var rows = new List<StudyRow>();
        var total = Stopwatch.StartNew();
        foreach (double beta in options.Betas)
        {
            rows.AddRange(RunBeta(beta, options, device, log));
        }

        WriteMetrics(Path.Combine(options.Output, "metrics.csv"), rows);
        var sweeps = WriteSweepCharts(options.Output, rows);
        string verdict = Report.Trends(rows);
        Report.Write(Path.Combine(options.Output, "report.html"), options, rows, sweeps, verdict, total.Elapsed);
        log.WriteLine();
        log.WriteLine(verdict);
        log.WriteLine($"Done in {total.Elapsed:mm\\:ss}. Report: {Path.GetFullPath(Path.Combine(options.Output, "report.html"))}");
        return rows;
    }

    private static List<StudyRow> RunBeta(double beta, StudyOptions options, Device device, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        string tag = $"beta_{beta.ToString(CultureInfo.InvariantCulture)}";
        string folder = Path.Combine(options.Output, tag);
        Directory.CreateDirectory(folder);
        log.WriteLine($"β = {beta}");

        using var problem = ConvectionProblem.Create(beta, options.CollocationPoints, options.InitialPoints, options.BoundaryPoints, options.Seed, device);
        using var model = ConvectionPinn.CreateModel(options.Width, options.Depth, options.Seed, device);
        double trainLoss = ConvectionPinn.Train(model, problem, options.AdamSteps, options.LbfgsSteps, options.LearningRate,
            options.Quiet ? null : (step, value) => Console.Write($"\r  training               step {step}/{options.AdamSteps + options.LbfgsSteps}, loss {value:E3}   "));
        if (!options.Quiet)
        {
            Console.WriteLine();
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
        double norm = Math.Sqrt(ParameterLayout.Flatten(model).Sum(x => x * x));

        // Hessian numbers at the trained parameters.
        HessianEigenpairs top;
        TraceEstimate trace;
        using (var analyzer = new HessianAnalyzer(loss))
        {
            top = analyzer.TopEigenpairs(2, new LanczosOptions { Seed = options.Seed, Tolerance = 1e-6 });
            trace = analyzer.HutchPlusPlus(options.HutchPlusPlusProducts, options.Seed);
            SpectralDensity density = analyzer.SpectralDensity(new SpectralDensityOptions { Seed = options.Seed, Steps = Math.Min(options.DensitySteps, analyzer.Operator.Dimension) });
            (double[] grid, double[] curve) = density.Smooth();
            PlotFiles.Save(SpectralDensityPlot.Create(grid, curve, $"Hessian eigenvalue density, β = {beta}"), Path.Combine(folder, "hessian_density.png"));
        }

        int products = top.Products + trace.Products + options.DensitySteps;
        log.WriteLine($"  Hessian: λ1 = {top.Eigenvalues[0]:G5}, λ2 = {top.Eigenvalues[1]:G5}, trace ≈ {trace.Estimate:G5} ± {trace.StandardError:G2} ({products} products)");

        // Hessian directions are unit eigenvectors; scaled to ‖θ‖ they span the same range as filter-normalised ones.
        var layout = ParameterLayout.Of(model);
        var hessianDirections = new DirectionSet(layout, top.Eigenvectors.Select(v => v.Select(x => x * norm).ToArray()).ToArray(), null, "top-2 Hessian eigenvectors scaled to ‖θ‖");
        var randomDirections = new RandomDirectionSampler(options.Seed).Sample(model, 2);

        var rows = new List<StudyRow>();
        foreach ((string kind, DirectionSet directions) in new[] { ("random", randomDirections), ("hessian", hessianDirections) })
        {
            Landscape landscape = new LandscapeSampler(loss).Along(directions).OnGrid(-options.Range, options.Range, options.GridSize)
                .Sample(new ConsoleProgressBar($"landscape ({kind})", !options.Quiet));
            MergeTree tree = new MergeTreeBuilder(new MergeTreeOptions { NaNHandling = LossLandscape.Topology.Ordering.NaNHandling.TreatAsPositiveInfinity })
                .Build(landscape, GridGraphBuilder.EightNeighbor);
            PersistenceDiagram diagram = tree.ToPersistenceDiagram();
            TopologyMetrics metrics = TopologyMetrics.Of(tree);
            TopologyMetrics finite = TopologyMetrics.Of(tree, new TopologyMetricsOptions { EssentialClass = EssentialClassHandling.Exclude });
            SaveLandscapeFiles(folder, kind, beta, landscape, tree, diagram);
            log.WriteLine($"  {kind,-7} landscape: {metrics.MinimumCount} minima, {metrics.SaddleCount} saddles, average persistence {metrics.AveragePersistence:G4}");
            rows.Add(new StudyRow(beta, kind, trainLoss, absolute, relative, metrics, finite.AveragePersistence,
                top.Eigenvalues[0], top.Eigenvalues[1], trace.Estimate, trace.StandardError, products,
                tree.FiniteMinimum, tree.FiniteMaximum, clock.Elapsed.TotalSeconds));
        }

        return rows;
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

        var options = new LandscapeHeatmapOptions { ContourCount = 0 };
        PlotFiles.Save(LandscapeHeatmap.Create(AsField(predicted), options with { Title = $"PINN prediction u(x, t), β = {beta}" }), Path.Combine(folder, "solution_predicted.png"), 640, 360);
        PlotFiles.Save(LandscapeHeatmap.Create(AsField(exact), options with { Title = $"Exact solution sin(x − βt), β = {beta}" }), Path.Combine(folder, "solution_exact.png"), 640, 360);
    }

    private static void SaveLandscapeFiles(string folder, string kind, double beta, Landscape landscape, MergeTree tree, PersistenceDiagram diagram)
    {
        string prefix = Path.Combine(folder, kind);
        PlotFiles.Save(LandscapeHeatmap.Create(landscape, new LandscapeHeatmapOptions { Scale = ColorScale.Log, CriticalPoints = tree, Title = $"Loss landscape ({kind} directions), β = {beta}" }), prefix + "_landscape.png");
        PlotFiles.Save(MergeTreePlot.Create(tree, $"Merge tree ({kind}), β = {beta}: {tree.MinimumCount} minima, {tree.SaddleCount} saddles"), prefix + "_merge_tree.png");
        PlotFiles.Save(PersistenceDiagramPlot.Create(diagram, $"Persistence diagram ({kind}), β = {beta}"), prefix + "_persistence_diagram.png", 600, 600);
        SurfaceHtml.Save(landscape, prefix + "_surface.html", $"Loss landscape ({kind} directions), β = {beta}");
        NpyFile.Write(prefix + "_landscape.npy", landscape);
        VtkFiles.WriteImageData(prefix + "_landscape.vti", landscape);
        VtkFiles.WriteMergeTree(prefix + "_merge_tree.vtp", tree);
        CsvFiles.WriteDiagram(prefix + "_persistence_diagram.csv", diagram);
    }

    private static void WriteMetrics(string path, IReadOnlyList<StudyRow> rows)
    {
        var text = new System.Text.StringBuilder("beta,directions,train_loss,abs_error,rel_error,minima,saddles,saddle_pairs,avg_persistence,avg_persistence_finite,max_persistence,persistence_entropy,top_eigenvalue,second_eigenvalue,trace,trace_std_error,hessian_products,landscape_min,landscape_max,seconds\n");
        foreach (StudyRow r in rows)
        {
            text.Append(string.Join(',',
                F(r.Beta), r.Directions, F(r.TrainLoss), F(r.AbsoluteError), F(r.RelativeError),
                r.Metrics.MinimumCount, r.Metrics.SaddleCount, r.Metrics.SaddlePairCount,
                F(r.Metrics.AveragePersistence), F(r.AveragePersistenceFinitePairs), F(r.Metrics.MaximumPersistence), F(r.Metrics.PersistenceEntropy),
                F(r.TopEigenvalue), F(r.SecondEigenvalue), F(r.Trace), F(r.TraceStandardError), r.HessianProducts,
                F(r.LandscapeMinimum), F(r.LandscapeMaximum), F(r.Seconds))).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    private static List<string> WriteSweepCharts(string output, IReadOnlyList<StudyRow> rows)
    {
        var files = new List<string>();
        string figures = Path.Combine(output, "figures");
        Directory.CreateDirectory(figures);
        foreach (string kind in new[] { "random", "hessian" })
        {
            var subset = rows.Where(r => r.Directions == kind).OrderBy(r => r.Beta).ToArray();
            double[] betas = subset.Select(r => r.Beta).ToArray();
            var tda = new (string Name, double[] Values)[]
            {
                ("saddles", subset.Select(r => (double)r.Metrics.SaddleCount).ToArray()),
                ("average persistence", subset.Select(r => r.Metrics.AveragePersistence).ToArray()),
            };
            var ml = new (string Name, double[] Values)[]
            {
                ("absolute error", subset.Select(r => r.AbsoluteError).ToArray()),
                ("top-1 Hessian eigenvalue", subset.Select(r => r.TopEigenvalue).ToArray()),
                ("Hessian trace", subset.Select(r => r.Trace).ToArray()),
            };
            foreach (var left in tda)
            {
                foreach (var right in ml)
                {
                    string name = $"sweep_{kind}_{Slug(left.Name)}_vs_{Slug(right.Name)}.png";
                    PlotFiles.Save(SweepPlot.Create("β", betas, left.Name, left.Values, right.Name, right.Values, $"{left.Name} and {right.Name} against β ({kind} directions)"), Path.Combine(figures, name), 640, 420);
                    files.Add(Path.Combine("figures", name));
                }
            }
        }

        return files;
    }

    private static string Slug(string text) => text.Replace(' ', '_').Replace("-", string.Empty, StringComparison.Ordinal);

    private static string F(double v) => v.ToString("G9", CultureInfo.InvariantCulture);
}
