using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using LossLandscape.Topology.Examples;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Plotting;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace ResidualNetworks;

/// <summary>Options of the ResNet study; the defaults are a small CPU run.</summary>
internal sealed record ResNetOptions
{
    public string Data { get; init; } = FashionMnist.DebianFolder;

    public int TrainImages { get; init; } = 5000;

    public int TestImages { get; init; } = 500;

    public int Epochs { get; init; } = 2;

    public int Width { get; init; } = 8;

    public long[] Seeds { get; init; } = [0, 123];

    public int GridSize { get; init; } = 11;

    public double Range { get; init; } = 1;

    public int HutchPlusPlusProducts { get; init; } = 30;

    public string Output { get; init; } = "resnet-report";

    public bool Quiet { get; init; }

    public const string Usage = """
        dotnet run -c Release --project examples/ResidualNetworks -- [options]
          --data DIR        Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)
          --train N         training images used (default 5000; 60000 for all)
          --test N          test images the landscape is measured on (default 500)
          --epochs N        training epochs (default 2)
          --width N         channels of the first stage; ResNet-20 has 16 (default 8)
          --seeds 0,123     seeds, one model of each kind per seed (default 0,123; the paper: 0,123,123456,2023)
          --grid N          landscape resolution N × N (default 11)
          --out DIR         output folder (default resnet-report)
          --quiet           no progress bars
        """;

    public static ResNetOptions Parse(string[] args)
    {
        var o = new ResNetOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--data" => o with { Data = Next() },
                "--train" => o with { TrainImages = Int(Next()) },
                "--test" => o with { TestImages = Int(Next()) },
                "--epochs" => o with { Epochs = Int(Next()) },
                "--width" => o with { Width = Int(Next()) },
                "--seeds" => o with { Seeds = Next().Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                "--grid" => o with { GridSize = Int(Next()) },
                "--out" => o with { Output = Next() },
                "--quiet" => o with { Quiet = true },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return o;
    }
}

/// <summary>One row of metrics.csv: one architecture and one seed.</summary>
internal sealed record ResNetRow(string Architecture, long Seed, double TestAccuracy, double LandscapeCentreLoss, TopologyMetrics Metrics, double TopEigenvalue, double Trace, double Seconds);

/// <summary>
/// The paper's Sec. 3.1 (Figs. 1 and 5): ResNet-20-style networks with and without residual connections trained on
/// Fashion-MNIST, compared through their loss landscapes' topology and Hessian numbers.
/// </summary>
internal static class ResNetStudy
{
    public static IReadOnlyList<ResNetRow> Run(ResNetOptions options, TextWriter log)
    {
        var (trainX, trainY, trainCount) = FashionMnist.Load(options.Data, train: true, options.TrainImages);
        var (testX, testY, testCount) = FashionMnist.Load(options.Data, train: false, options.TestImages);
        Directory.CreateDirectory(options.Output);
        var total = Stopwatch.StartNew();
        using Tensor xTrain = tensor(trainX, [trainCount, 1, 28, 28]);
        using Tensor yTrain = tensor(trainY, [trainCount]);
        using Tensor xTest = tensor(testX, [testCount, 1, 28, 28]);
        using Tensor yTest = tensor(testY, [testCount]);
        var rows = new List<ResNetRow>();
        foreach (long seed in options.Seeds)
        {
            foreach (bool residual in new[] { true, false })
            {
                rows.Add(RunOne(residual, seed, options, xTrain, yTrain, xTest, yTest, log));
            }
        }

        WriteMetrics(Path.Combine(options.Output, "metrics.csv"), rows);
        string verdict = Verdict(rows);
        var sweeps = WriteCharts(options.Output, rows);
        WriteReport(Path.Combine(options.Output, "report.html"), options, rows, sweeps, verdict, total.Elapsed);
        log.WriteLine();
        log.WriteLine(verdict);
        log.WriteLine($"Done in {total.Elapsed:mm\\:ss}. Report: {Path.GetFullPath(Path.Combine(options.Output, "report.html"))}");
        return rows;
    }

    private static ResNetRow RunOne(bool residual, long seed, ResNetOptions options, Tensor xTrain, Tensor yTrain, Tensor xTest, Tensor yTest, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        string architecture = residual ? "residual" : "plain";
        manual_seed(seed);
        using var model = new ResNet(options.Width, residual);
        Train(model, xTrain, yTrain, options.Epochs, seed, options.Quiet);
        model.eval(); // batch norm uses its running statistics from here on: the landscape is of the trained network

        const int Batch = 250;
        var batches = Enumerable.Range(0, (int)Math.Ceiling(xTest.shape[0] / (double)Batch))
            .Select(b => (Start: b * Batch, Length: (int)Math.Min(Batch, xTest.shape[0] - (b * Batch)))).ToList();
        var loss = LossFunction.MiniBatches(model, batches,
                b => nn.functional.cross_entropy(model.call(xTest.narrow(0, b.Start, b.Length)), yTest.narrow(0, b.Start, b.Length)),
                b => b.Length)
            .WithMetric("accuracy", b => model.call(xTest.narrow(0, b.Start, b.Length)).argmax(1).eq(yTest.narrow(0, b.Start, b.Length)).to_type(ScalarType.Float32).mean());
        Span<double> accuracy = stackalloc double[1];
        double centre = loss.Evaluate(accuracy);
        log.WriteLine($"{architecture} network, seed {seed}: test loss {centre:F4}, accuracy {accuracy[0]:P1}");

        HessianEigenpairs top;
        TraceEstimate trace;
        using (var analyzer = new HessianAnalyzer(loss))
        {
            top = analyzer.TopEigenpairs(1, new LanczosOptions { Seed = seed, Tolerance = 1e-4, MaxProducts = 40 });
            trace = analyzer.HutchPlusPlus(options.HutchPlusPlusProducts, seed);
        }

        log.WriteLine($"  Hessian: λ1 = {top.Eigenvalues[0]:G5}, trace ≈ {trace.Estimate:G5}");
        DirectionSet directions = new RandomDirectionSampler(seed).Sample(model, 2);
        LandscapeSamplingResult result = new LandscapeSampler(loss).Along(directions).OnGrid(-options.Range, options.Range, options.GridSize)
            .SampleWithMetrics(new ConsoleProgressBar("landscape", !options.Quiet));
        MergeTree tree = new MergeTreeBuilder().Build(result.Loss, GridGraphBuilder.EightNeighbor);
        TopologyMetrics metrics = TopologyMetrics.Of(tree);
        log.WriteLine($"  landscape: {metrics.MinimumCount} minima, {metrics.SaddleCount} saddles, average persistence {metrics.AveragePersistence:G4}");

        string prefix = Path.Combine(options.Output, $"{architecture}_seed{seed}");
        PlotFiles.Save(LandscapeHeatmap.Create(result.Loss, new LandscapeHeatmapOptions { Scale = ColorScale.Log, CriticalPoints = tree, Title = $"{architecture} ResNet, seed {seed}: test loss" }), prefix + "_landscape.png");
        PlotFiles.Save(LandscapeHeatmap.Create(result.Metrics["accuracy"], new LandscapeHeatmapOptions { Title = $"{architecture} ResNet, seed {seed}: test accuracy" }), prefix + "_accuracy.png");
        PlotFiles.Save(MergeTreePlot.Create(tree, $"{architecture}, seed {seed}: {tree.MinimumCount} minima, {tree.SaddleCount} saddles"), prefix + "_merge_tree.png");
        PlotFiles.Save(PersistenceDiagramPlot.Create(tree.ToPersistenceDiagram(), $"{architecture}, seed {seed}"), prefix + "_persistence_diagram.png", 600, 600);
        SurfaceHtml.Save(result.Loss, prefix + "_surface.html", $"{architecture} ResNet, seed {seed}");
        NpyFile.Write(prefix + "_landscape.npy", result.Loss);
        VtkFiles.WriteImageData(prefix + "_landscape.vti", result.Loss, result.Metrics);
        return new ResNetRow(architecture, seed, accuracy[0], centre, metrics, top.Eigenvalues[0], trace.Estimate, clock.Elapsed.TotalSeconds);
    }

    private static void Train(ResNet model, Tensor x, Tensor y, int epochs, long seed, bool quiet)
    {
        model.train();
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
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
                    Console.Write($"\r  training epoch {epoch}/{epochs}: batch {batches}, mean loss {sum / batches:F4}   ");
                }
            }
        }

        if (!quiet)
        {
            Console.WriteLine();
        }
    }

    /// <summary>The paper's finding (more saddles without residual connections), checked against this run either way.</summary>
    internal static string Verdict(IReadOnlyList<ResNetRow> rows)
    {
        double Mean(string architecture, Func<ResNetRow, double> value) => rows.Where(r => r.Architecture == architecture).Average(value);
        double residualSaddles = Mean("residual", r => r.Metrics.SaddleCount);
        double plainSaddles = Mean("plain", r => r.Metrics.SaddleCount);
        double residualPersistence = Mean("residual", r => r.Metrics.AveragePersistence);
        double plainPersistence = Mean("plain", r => r.Metrics.AveragePersistence);
        string saddles = plainSaddles > residualSaddles
            ? "holds in this run: the networks without residual connections have more saddles"
            : plainSaddles == residualSaddles ? "is not visible in this run: both kinds have as many saddles" : "does not hold in this run: the residual networks have more saddles";
        string persistence = plainPersistence < residualPersistence ? "lower, as the paper reports" : "not lower, unlike the paper";
        return string.Create(CultureInfo.InvariantCulture,
            $"The paper's finding (more saddles without residual connections) {saddles} (mean {plainSaddles:F1} against {residualSaddles:F1} over {rows.Count / 2} seed(s)). Their average persistence is {persistence} ({plainPersistence:G4} against {residualPersistence:G4}). Test accuracy: plain {Mean("plain", r => r.TestAccuracy):P1}, residual {Mean("residual", r => r.TestAccuracy):P1}.");
    }

    private static void WriteMetrics(string path, IReadOnlyList<ResNetRow> rows)
    {
        var text = new StringBuilder("architecture,seed,test_accuracy,test_loss,minima,saddles,saddle_pairs,avg_persistence,max_persistence,top_eigenvalue,trace,seconds\n");
        foreach (ResNetRow r in rows)
        {
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{r.Architecture},{r.Seed},{r.TestAccuracy:G9},{r.LandscapeCentreLoss:G9},{r.Metrics.MinimumCount},{r.Metrics.SaddleCount},{r.Metrics.SaddlePairCount},{r.Metrics.AveragePersistence:G9},{r.Metrics.MaximumPersistence:G9},{r.TopEigenvalue:G9},{r.Trace:G9},{r.Seconds:G9}\n"));
        }

        File.WriteAllText(path, text.ToString());
    }

    private static List<string> WriteCharts(string output, IReadOnlyList<ResNetRow> rows)
    {
        // Fig. 5: each TDA metric against each ML metric, one point per model; 0 = plain, 1 = residual on x.
        var files = new List<string>();
        var ordered = rows.OrderBy(r => r.Architecture == "residual").ThenBy(r => r.Seed).ToArray();
        double[] x = ordered.Select((r, i) => (double)i).ToArray();
        foreach ((string tdaName, Func<ResNetRow, double> tda) in new (string, Func<ResNetRow, double>)[] { ("saddles", r => r.Metrics.SaddleCount), ("average persistence", r => r.Metrics.AveragePersistence) })
        {
            foreach ((string mlName, Func<ResNetRow, double> ml) in new (string, Func<ResNetRow, double>)[] { ("test accuracy", r => r.TestAccuracy), ("top-1 Hessian eigenvalue", r => r.TopEigenvalue), ("Hessian trace", r => r.Trace) })
            {
                string name = $"models_{tdaName.Replace(' ', '_')}_vs_{mlName.Replace(' ', '_').Replace("-", string.Empty, StringComparison.Ordinal)}.png";
                PlotFiles.Save(SweepPlot.Create("model (plain first, then residual; by seed)", x, tdaName, ordered.Select(tda).ToArray(), mlName, ordered.Select(ml).ToArray()), Path.Combine(output, name), 640, 420);
                files.Add(name);
            }
        }

        return files;
    }

    private static void WriteReport(string path, ResNetOptions options, IReadOnlyList<ResNetRow> rows, IReadOnlyList<string> charts, string verdict, TimeSpan elapsed)
    {
        var html = new StringBuilder("""
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>ResNets with and without residual connections</title>
            <style>body{font-family:sans-serif;max-width:1300px;margin:2em auto;padding:0 1em}img{max-width:100%;border:1px solid #ddd}
            table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}
            .row{display:flex;flex-wrap:wrap;gap:8px}.row img{width:32%}pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}</style></head><body>
            <h1>ResNet-20 layout on Fashion-MNIST, with and without residual connections</h1>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<p>After the paper's Sec. 3.1 (Figs. 1 and 5). Run: width {options.Width}, {options.TrainImages} training images × {options.Epochs} epoch(s), landscapes on {options.TestImages} test images, {options.GridSize}×{options.GridSize} grids along filter-normalised random directions, seeds {string.Join(", ", options.Seeds)}; {elapsed:mm\\:ss} in all.</p>");
        html.Append("<h2>Does the paper's finding hold?</h2><pre>").Append(WebUtility.HtmlEncode(verdict)).Append("</pre><table><tr><th>network</th><th>seed</th><th>accuracy</th><th>minima</th><th>saddles</th><th>avg persistence</th><th>λ<sub>1</sub></th><th>trace</th></tr>");
        foreach (ResNetRow r in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{r.Architecture}</td><td>{r.Seed}</td><td>{r.TestAccuracy:P1}</td><td>{r.Metrics.MinimumCount}</td><td>{r.Metrics.SaddleCount}</td><td>{r.Metrics.AveragePersistence:G4}</td><td>{r.TopEigenvalue:G4}</td><td>{r.Trace:G4}</td></tr>");
        }

        html.Append("</table><p><a href=\"metrics.csv\">metrics.csv</a></p><h2>Metrics by model (Fig. 5)</h2><div class=\"row\">");
        foreach (string chart in charts)
        {
            html.Append(CultureInfo.InvariantCulture, $"<img src=\"{chart}\">");
        }

        html.Append("</div>");
        foreach (ResNetRow r in rows)
        {
            string prefix = $"{r.Architecture}_seed{r.Seed}";
            html.Append(CultureInfo.InvariantCulture, $"<h2>{r.Architecture}, seed {r.Seed} (<a href=\"{prefix}_surface.html\">3-D surface</a>)</h2><div class=\"row\"><img src=\"{prefix}_landscape.png\"><img src=\"{prefix}_merge_tree.png\"><img src=\"{prefix}_persistence_diagram.png\"><img src=\"{prefix}_accuracy.png\"></div>");
        }

        html.Append("</body></html>");
        File.WriteAllText(path, html.ToString());
    }
}
