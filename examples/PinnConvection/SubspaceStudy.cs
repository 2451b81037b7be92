using System.Diagnostics;
using System.Globalization;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Plotting;
using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Parameters;
using LossLandscape.Topology.Torch.Sampling;
using MathNet.Numerics.Distributions;
using static TorchSharp.torch;

namespace PinnConvection;

/// <summary>
/// The paper's future work (Sec. 5): the landscape of a trained PINN in the span of its top k Hessian eigenvectors
/// for k = 3 … 10, sampled by scattered designs (shifted Halton sequences), turned into an NN-descent graph, and its
/// minima, saddles and average persistence reported against k and against the number of samples, each with a 95%
/// t-interval over the designs. A trend is called only where the intervals at the ends do not overlap.
/// </summary>
internal static class SubspaceStudy
{
    public static IReadOnlyList<(string Name, Func<TopologyMetrics, double> Of)> Measures { get; } =
    [
        ("minima", m => m.MinimumCount),
        ("saddles", m => m.SaddleCount),
        ("avg_persistence", m => m.AveragePersistence),
        ("avg_persistence_finite", m => m.AverageFinitePersistence),
    ];

    public static SubspaceResult Run(SubspaceOptions options, TextWriter log)
    {
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(options.Output);
        var device = new Device("cpu");
        using var problem = ConvectionProblem.Create(options.Beta, options.CollocationPoints, options.InitialPoints, options.BoundaryPoints, options.Seed, device);
        using var model = ConvectionPinn.CreateModel(options.Width, options.Depth, options.Seed, device);
        double trainLoss = ConvectionPinn.Train(model, problem, options.AdamSteps, 0, 1e-3, null);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"β = {options.Beta}: trained {options.AdamSteps} Adam steps, loss {trainLoss:E3}"));

        var loss = ConvectionPinn.LossFunction(model, problem, options.BatchSize);
        int most = options.Dimensions.Max();
        Eigenpairs pairs;
        using (var analyzer = new HessianAnalyzer(loss))
        {
            pairs = analyzer.TopEigenpairs(most, new LanczosOptions { Tolerance = 1e-6, MaxProducts = Math.Max(200, 30 * most), Seed = options.Seed });
        }

        log.WriteLine($"top {most} Hessian eigenvalues: {string.Join(", ", pairs.Eigenvalues.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))} ({pairs.Products} products, {(pairs.Converged ? "converged" : "NOT converged")}, largest error estimate {pairs.ErrorEstimates.Max():G2})");

        // As the main study's Hessian subspace: unit eigenvectors scaled to ‖θ‖, so a unit step is the model's size.
        var layout = ParameterLayout.Of(model);
        double norm = new DirectionSet(layout, [ParameterLayout.Flatten(model)]).Norm(0);
        double[][] scaled = pairs.Eigenvectors.Select(v => v.Select(x => x * norm).ToArray()).ToArray();

        var rows = new List<SubspaceRow>();
        int largest = options.Samples.Max();
        foreach (int k in options.Dimensions)
        {
            var directions = new DirectionSet(layout, scaled.Take(k).ToArray(), null, $"top {k} Hessian eigenvectors × ‖θ‖");
            for (int design = 0; design < options.DesignSeeds; design++)
            {
                // One design of the largest size; the smaller counts are its first points (a Halton sequence's start is
                // itself a Halton set), so every count of one design sees the same points where they overlap.
                double[,] points = ScatteredDesign.Halton(largest, ScatteredDesign.Cube(k, -options.Range, options.Range), options.Seed + design);
                var watch = Stopwatch.StartNew();
                Landscape sampled = new LandscapeSampler(loss).Along(directions).AtPoints(points).Sample();
                double seconds = watch.Elapsed.TotalSeconds;
                foreach (int n in options.Samples)
                {
                    Landscape landscape = Prefix(sampled, points, n);
                    NeighborGraph graph = new NnDescentGraphBuilder(Math.Min(options.Neighbors, n - 1), new NnDescentOptions { Seed = options.Seed + design }).Build(landscape);
                    MergeTree tree = new MergeTreeBuilder(new MergeTreeOptions { NaNHandling = LossLandscape.Topology.NaNHandling.TreatAsPositiveInfinity }).Build(graph, landscape);
                    rows.Add(new SubspaceRow(k, n, design, TopologyMetrics.Of(tree)));
                }

                if (!options.Quiet)
                {
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  k = {k}, design {design}: {largest} points in {seconds:F1} s"));
                }
            }
        }

        IReadOnlyList<SubspaceSummary> summary = Summarize(rows, options);
        WriteFiles(options, rows, summary);
        foreach (SubspaceSummary s in summary)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Measure,-23} k = {s.Dimensions,2}, N = {s.Samples,6}: {s.Mean,10:G4}  95% CI [{s.Low:G4}, {s.High:G4}]"));
        }

        foreach (string line in Readings(summary, options))
        {
            log.WriteLine(line);
        }

        log.WriteLine($"Done in {total.Elapsed:mm\\:ss}. Results: {Path.GetFullPath(options.Output)}");
        return new SubspaceResult(rows, summary, total.Elapsed);
    }

    private static Landscape Prefix(Landscape sampled, double[,] points, int n)
    {
        var coordinates = new double[n, points.GetLength(1)];
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < points.GetLength(1); d++)
            {
                coordinates[i, d] = points[i, d];
            }
        }

        return Landscape.FromPoints(coordinates, sampled.Values[..n]);
    }

    /// <summary>Mean and 95% Student-t interval over the designs, per measure, k and N.</summary>
    public static IReadOnlyList<SubspaceSummary> Summarize(IReadOnlyList<SubspaceRow> rows, SubspaceOptions options)
    {
        var result = new List<SubspaceSummary>();
        foreach ((string name, Func<TopologyMetrics, double> of) in Measures)
        {
            foreach (int k in options.Dimensions)
            {
                foreach (int n in options.Samples)
                {
                    double[] values = rows.Where(r => r.Dimensions == k && r.Samples == n).Select(r => of(r.Metrics)).ToArray();
                    double mean = values.Average();
                    double sd = MathNet.Numerics.Statistics.Statistics.StandardDeviation(values);
                    double half = values.Length > 1 && double.IsFinite(sd) ? StudentT.InvCDF(0, 1, values.Length - 1, 0.975) * sd / Math.Sqrt(values.Length) : double.NaN;
                    result.Add(new SubspaceSummary(name, k, n, mean, mean - half, mean + half, values.Length));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Per measure and sample count, what the intervals say from the smallest k to the largest: "rises" or "falls" when
    /// they do not overlap, otherwise "inconclusive".
    /// </summary>
    public static IEnumerable<string> Readings(IReadOnlyList<SubspaceSummary> summary, SubspaceOptions options)
    {
        int first = options.Dimensions.Min(), last = options.Dimensions.Max();
        foreach ((string name, _) in Measures)
        {
            foreach (int n in options.Samples)
            {
                SubspaceSummary a = summary.Single(s => s.Measure == name && s.Dimensions == first && s.Samples == n);
                SubspaceSummary b = summary.Single(s => s.Measure == name && s.Dimensions == last && s.Samples == n);
                string verdict = b.Low > a.High ? "rises" : b.High < a.Low ? "falls" : "inconclusive";
                yield return string.Create(CultureInfo.InvariantCulture, $"{verdict,-13} {name} from k = {first} to k = {last} at N = {n}: {a.Mean:G4} [{a.Low:G4}, {a.High:G4}] → {b.Mean:G4} [{b.Low:G4}, {b.High:G4}]");
            }
        }
    }

    private static void WriteFiles(SubspaceOptions options, IReadOnlyList<SubspaceRow> rows, IReadOnlyList<SubspaceSummary> summary)
    {
        using (var writer = new StreamWriter(Path.Combine(options.Output, "landscapes.csv")))
        {
            writer.WriteLine("dimensions,samples,design_seed," + string.Join(',', Measures.Select(m => m.Name)));
            foreach (SubspaceRow r in rows)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Dimensions},{r.Samples},{options.Seed + r.Design},") + string.Join(',', Measures.Select(m => Format(m.Of(r.Metrics)))));
            }
        }

        using (var writer = new StreamWriter(Path.Combine(options.Output, "summary.csv")))
        {
            writer.WriteLine("measure,dimensions,samples,mean,ci_low,ci_high,designs");
            foreach (SubspaceSummary s in summary)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Measure},{s.Dimensions},{s.Samples},{Format(s.Mean)},{Format(s.Low)},{Format(s.High)},{s.Count}"));
            }
        }

        File.WriteAllLines(Path.Combine(options.Output, "readings.txt"), Readings(summary, options));
        foreach ((string name, _) in Measures)
        {
            PlotFiles.Save(SubspacePlot.Create(summary.Where(s => s.Measure == name).ToArray(), name, options.Beta), Path.Combine(options.Output, $"{name}_vs_dimensions.png"));
        }
    }

    private static string Format(double v) => double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>One landscape: k directions, N samples, one design.</summary>
internal sealed record SubspaceRow(int Dimensions, int Samples, int Design, TopologyMetrics Metrics);

/// <summary>A measure's mean over designs with its 95% t-interval.</summary>
internal sealed record SubspaceSummary(string Measure, int Dimensions, int Samples, double Mean, double Low, double High, int Count);

/// <summary>Everything the subspace study produced.</summary>
internal sealed record SubspaceResult(IReadOnlyList<SubspaceRow> Rows, IReadOnlyList<SubspaceSummary> Summary, TimeSpan Elapsed);
