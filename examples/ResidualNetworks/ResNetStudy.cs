using System.CommandLine;
using LossLandscape.Topology.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Plotting;
using LossLandscape.Topology.Studies;
using LossLandscape.Topology.Torch.Analysis;
using LossLandscape.Topology.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace ResidualNetworks;

/// <summary>Options of the ResNet study; the defaults are a small CPU run.</summary>
internal sealed record ResNetOptions
{
    public string Data { get; init; } = FashionMnist.DebianFolder;

    public int TrainImages { get; init; } = 4000;

    public int TestImages { get; init; } = 128;

    public int Epochs { get; init; } = 2;

    public int Width { get; init; } = 8;

    // Three of the paper's four seeds: three models of each kind, each with two direction seeds, so a claim rests on
    // twelve landscapes; all four (--seeds 0,123,123456,2023) take the default run past 10 minutes on 2 cores.
    public int[] Seeds { get; init; } = [0, 123, 123456];

    public int DirectionSeeds { get; init; } = 2;

    public int GridSize { get; init; } = 21;

    public double Range { get; init; } = 1;

    public int HutchPlusPlusProducts { get; init; } = 15;

    public string Output { get; init; } = "resnet-report";

    public bool Quiet { get; init; }

    public int? Threads { get; init; }

    /// <summary>Parses a command line into options (for tests).</summary>
    /// <exception cref="ArgumentException">An option is unknown or has a bad value; the message names it.</exception>
    public static ResNetOptions Parse(string[] args) => CommandLineRunner.Parse<ResNetOptions>(CreateCommand, args, "ResidualNetworks");

    /// <summary>The study's command line; <paramref name="run"/> gets the options.</summary>
    public static RootCommand CreateCommand(Func<ResNetOptions, int> run)
    {
        var d = new ResNetOptions();
        Option<string> data = OptionValues.Text("--data", "Fashion-MNIST IDX files", "DIR", d.Data);
        Option<int> train = OptionValues.WholeNumber("--train", "training images used (60000 for all)", 1, d.TrainImages);
        Option<int> test = OptionValues.WholeNumber("--test", "test images the landscape is measured on", 1, d.TestImages);
        Option<int> epochs = OptionValues.WholeNumber("--epochs", "training epochs", 0, d.Epochs);
        Option<int> width = OptionValues.WholeNumber("--width", "channels of the first stage; ResNet-20 has 16", 1, d.Width);
        var seeds = new Option<int[]>("--seeds")
        {
            Description = "seeds, one model of each kind per seed (the paper: 0,123,123456,2023)",
            HelpName = "LIST",
            DefaultValueFactory = _ => d.Seeds,
            CustomParser = r =>
            {
                string text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : string.Empty;
                int[] parsed = text.Split(',').Select(t => int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : (int?)null).OfType<int>().ToArray();
                if (parsed.Length == 0 || parsed.Length != text.Split(',').Length)
                {
                    r.AddError($"--seeds takes whole numbers separated by commas (0,123), not '{text}'");
                }

                return parsed;
            },
        };
        Option<int> directionSeeds = OptionValues.WholeNumber("--direction-seeds", "random subspaces per model", 1, d.DirectionSeeds);
        Option<int> grid = OptionValues.WholeNumber("--grid", "landscape resolution N × N", 2, d.GridSize);
        Option<int?> threads = OptionValues.Threads();
        Option<string> output = OptionValues.Text("--out", "output folder", "DIR", d.Output);
        var quiet = new Option<bool>("--quiet") { Description = "no progress bars" };
        var command = new RootCommand("The paper's ResNet case study (Sec. 3.1) on Fashion-MNIST at a small CPU size: networks with and without residual connections, their landscapes' topology and Hessian numbers, the claims tested, report.html")
        {
            data, train, test, epochs, width, seeds, directionSeeds, grid, threads, output, quiet,
        };
        command.HelpName = "ResidualNetworks";
        command.SetAction(parse => run(new ResNetOptions
        {
            Data = parse.GetRequiredValue(data),
            TrainImages = parse.GetValue(train),
            TestImages = parse.GetValue(test),
            Epochs = parse.GetValue(epochs),
            Width = parse.GetValue(width),
            Seeds = parse.GetRequiredValue(seeds),
            DirectionSeeds = parse.GetValue(directionSeeds),
            GridSize = parse.GetValue(grid),
            Threads = parse.GetValue(threads),
            Output = parse.GetRequiredValue(output),
            Quiet = parse.GetValue(quiet),
        }));
        return command;
    }
}

/// <summary>
/// The paper's Sec. 3.1 (Figs. 1 and 5) on <see cref="LandscapeAnalysis"/>: ResNet-20-style networks with and without
/// residual connections trained on Fashion-MNIST, compared through their loss landscapes' topology and Hessian
/// numbers, with the paper's claims tested on the whole set of models.
/// </summary>
internal static class ResNetStudy
{
    /// <summary>The paper's claims of Sec. 3.1 and Fig. 5 (residual = 1 with residual connections, 0 without).</summary>
    public static IReadOnlyList<Claim> Claims { get; } =
    [
        new("More saddles without residual connections (Sec. 3.1)", "saddles", "residual", "random", -1),
        new("Lower average persistence without residual connections (Sec. 3.1; TTK convention)", "avg_persistence", "residual", "random", +1),
        new("Lower average persistence without residual connections (finite pairs only)", "avg_persistence_finite", "residual", "random", +1),
        new("More saddles go with lower accuracy (Fig. 5)", "saddles", "test_accuracy", "random", -1),
        new("More saddles go with a smaller top Hessian eigenvalue (Fig. 5)", "saddles", "top_eigenvalue", "random", -1),
        new("More saddles go with a smaller Hessian trace (Fig. 5)", "saddles", "trace", "random", -1),
    ];

    public static StudyResult Run(ResNetOptions options, TextWriter log)
    {
        var (trainX, trainY, trainCount) = FashionMnist.Load(options.Data, train: true, options.TrainImages);
        var (testX, testY, testCount) = FashionMnist.Load(options.Data, train: false, options.TestImages);
        Directory.CreateDirectory(options.Output);
        var total = Stopwatch.StartNew();
        using Tensor xTrain = tensor(trainX, [trainCount, 1, 28, 28]);
        using Tensor yTrain = tensor(trainY, [trainCount]);
        using Tensor xTest = tensor(testX, [testCount, 1, 28, 28]);
        using Tensor yTest = tensor(testY, [testCount]);
        var sweep = new LandscapeSweep();
        var sections = new List<(string, IReadOnlyList<string>)>();
        foreach (int seed in options.Seeds)
        {
            foreach (bool residual in new[] { true, false })
            {
                (LandscapeAnalysisResult result, Dictionary<string, double> measured, List<string> figures) = RunOne(residual, seed, options, xTrain, yTrain, xTest, yTest, log);
                sweep = sweep.Add(new Dictionary<string, double> { ["residual"] = residual ? 1 : 0, ["seed"] = seed }, result, measured, new Dictionary<string, string> { ["network"] = residual ? "residual" : "plain" });
                sections.Add(($"{(residual ? "residual" : "plain")} network, seed {seed}", figures));
            }
        }

        IReadOnlyList<ClaimResult> claims = sweep.Test(Claims, new BootstrapOptions { Seed = options.Seeds[0] });
        string report = StudyReport.Write(options.Output, sweep.Table, claims, new StudyReportOptions
        {
            Title = "ResNet-20 layout on Fashion-MNIST, with and without residual connections",
            Description =
            [
                "After the paper's Sec. 3.1 (Figs. 1 and 5): the same network with and without its residual connections, trained on Fashion-MNIST; landscapes of the test loss along filter-normalised random directions.",
                string.Create(CultureInfo.InvariantCulture, $"This run: width {options.Width} (ResNet-20 has 16; width 8 and three seeds keep the default run under 10 minutes on 2 CPU cores), {options.TrainImages} training images × {options.Epochs} epoch(s), landscapes on {options.TestImages} test images, {options.GridSize}×{options.GridSize} grids on [−{options.Range}, {options.Range}]², {options.DirectionSeeds} direction seeds per model, model seeds {string.Join(", ", options.Seeds)}; {total.Elapsed:mm\\:ss} in all."),
                "Verdicts come from this run's data alone. residual = 1 marks networks with residual connections, 0 without.",
            ],
            Labels = new Dictionary<string, string> { ["residual"] = "residual connections", ["test_accuracy"] = "test accuracy" },
            Categories = new Dictionary<string, IReadOnlyDictionary<double, string>> { ["residual"] = new Dictionary<double, string> { [0] = "plain (no residual connections)", [1] = "residual" } },
            TableColumns = ["test_accuracy", "minima", "boundary_minima", "saddles", "avg_persistence", "avg_persistence_finite", "top_eigenvalue", "trace"],
            Sections = sections,
        });
        log.WriteLine();
        foreach (ClaimResult c in claims)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Verdict.ToString().ToLowerInvariant(),-13} {c.Claim.Metric} vs {c.Claim.Against}: ρ = {c.Correlation.Rho:F2}, 95% CI [{c.Correlation.Low:F2}, {c.Correlation.High:F2}], n = {c.Correlation.Count}"));
        }

        log.WriteLine($"Done in {total.Elapsed:mm\\:ss}. Report: {Path.GetFullPath(report)}");
        return new StudyResult(sweep, claims, total.Elapsed);
    }

    private static (LandscapeAnalysisResult, Dictionary<string, double>, List<string>) RunOne(bool residual, int seed, ResNetOptions options, Tensor xTrain, Tensor yTrain, Tensor xTest, Tensor yTest, TextWriter log)
    {
        string architecture = residual ? "residual" : "plain";
        manual_seed(seed);
        using var model = new ResNet(options.Width, residual);
        Train(model, xTrain, yTrain, options.Epochs, seed, options.Quiet);
        model.eval(); // batch norm uses its running statistics from here on: the landscape is of the trained network

        const int Batch = 250;
        var batches = Enumerable.Range(0, (int)Math.Ceiling(xTest.shape[0] / (double)Batch))
            .Select(b => (Start: b * Batch, Length: (int)Math.Min(Batch, xTest.shape[0] - (b * Batch)))).ToList();
        // The accuracy reuses the logits the loss just computed for the same batch (the sampler asks for the loss,
        // then the metrics, batch by batch, within one evaluation): one forward pass per batch instead of two.
        Tensor? logits = null;
        var loss = LossFunction.MiniBatches(model, batches,
                b =>
                {
                    logits = model.call(xTest.narrow(0, b.Start, b.Length));
                    return nn.functional.cross_entropy(logits, yTest.narrow(0, b.Start, b.Length));
                },
                b => b.Length)
            .WithMetric("accuracy", b => (logits ?? model.call(xTest.narrow(0, b.Start, b.Length))).argmax(1).eq(yTest.narrow(0, b.Start, b.Length)).to_type(ScalarType.Float32).mean());
        Span<double> accuracy = stackalloc double[1];
        double centre = loss.Evaluate(accuracy);
        log.WriteLine($"{architecture} network, seed {seed}: test loss {centre:F4}, accuracy {accuracy[0]:P1}");

        var analysisOptions = new LandscapeAnalysisOptions
        {
            Directions = [DirectionKind.Random],
            RandomDirectionSeeds = options.DirectionSeeds,
            Resolution = options.GridSize,
            Range = options.Range,
            TopEigenvalues = 1,
            LanczosTolerance = 1e-3,
            LanczosMaxProducts = 20,
            TraceProducts = options.HutchPlusPlusProducts,
            DensitySteps = 0,
        };
        var progress = options.Quiet ? null : new LossLandscape.Topology.Examples.AnalysisProgressBar(Console.Out);
        LandscapeAnalysisResult result;
        try
        {
            result = new LandscapeAnalysis(seed).Analyze(loss, analysisOptions, progress);
        }
        finally
        {
            progress?.Finish();
        }

        log.WriteLine($"  Hessian: λ1 = {result.Hessian.TopEigenvalues[0]:G5}, trace ≈ {result.Hessian.Trace!.Estimate:G5}");
        log.WriteLine($"  landscapes: saddles {result.Spread(DirectionKind.Random, m => m.SaddleCount)}, average persistence {result.Spread(DirectionKind.Random, m => m.AveragePersistence)} (finite pairs {result.Spread(DirectionKind.Random, m => m.AverageFinitePersistence)})");

        SubspaceAnalysis first = result.Subspaces[0];
        string name = $"{architecture}_seed{seed}";
        string prefix = Path.Combine(options.Output, name);
        PlotFiles.Save(LandscapeHeatmap.Create(first.Landscape, new LandscapeHeatmapOptions { Scale = ColorScale.Log, CriticalPoints = first.Tree, ValueLabel = "test loss", Title = $"{architecture} ResNet, seed {seed}: test loss" }), prefix + "_landscape.png");
        PlotFiles.Save(LandscapeHeatmap.Create(first.ExtraMetrics["accuracy"], new LandscapeHeatmapOptions { Title = $"{architecture} ResNet, seed {seed}: test accuracy", ValueLabel = "test accuracy", MarkMinimum = false }), prefix + "_accuracy.png");
        PlotFiles.Save(MergeTreePlot.Create(first.Tree, $"{architecture}, seed {seed}: {first.Tree.MinimumCount} minima, {first.Tree.SaddleCount} saddles"), prefix + "_merge_tree.png");
        PlotFiles.Save(PersistenceDiagramPlot.Create(first.Diagram, $"{architecture}, seed {seed}"), prefix + "_persistence_diagram.png", 600, 600);
        SurfaceHtml.Save(first.Landscape, prefix + "_surface.html", $"{architecture} ResNet, seed {seed}");
        NpyFile.Write(prefix + "_landscape.npy", first.Landscape);
        VtkFiles.WriteImageData(prefix + "_landscape.vti", first.Landscape, first.ExtraMetrics);
        var measured = new Dictionary<string, double> { ["test_accuracy"] = accuracy[0], ["test_loss"] = centre };
        return (result, measured, [$"{name}_landscape.png", $"{name}_merge_tree.png", $"{name}_persistence_diagram.png", $"{name}_accuracy.png", $"{name}_surface.html"]);
    }

    private static void Train(ResNet model, Tensor x, Tensor y, int epochs, int seed, bool quiet)
    {
        model.train();
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        var status = new LossLandscape.Topology.Examples.StatusLine(Console.Out);
        var generator = new Random((int)seed);
        int n = (int)x.shape[0];
        const int Batch = 128;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            int[] order = Enumerable.Range(0, n).OrderBy(_ => generator.Next()).ToArray();
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < n; start += Batch)
            {
                using var scope = NewDisposeScope();
                Tensor index = tensor(order.AsSpan(start, Math.Min(Batch, n - start)).ToArray().Select(i => (long)i).ToArray());
                optimizer.zero_grad();
                Tensor loss = nn.functional.cross_entropy(model.call(x.index_select(0, index)), y.index_select(0, index));
                loss.backward();
                optimizer.step();
                sum += loss.ToDouble();
                batches++;
                if (!quiet)
                {
                    status.Update($"  training epoch {epoch}/{epochs}: batch {batches}, mean loss {sum / batches:F4}");
                }
            }
        }

        status.End();
    }
}

/// <summary>What the study produced: the sweep, the claims' verdicts and the wall time.</summary>
internal sealed record StudyResult(LandscapeSweep Sweep, IReadOnlyList<ClaimResult> Claims, TimeSpan Elapsed);
