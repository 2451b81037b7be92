using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using LossLandscape.Topology.CommandLine;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Cli;

/// <summary>The options of <c>llt analyze</c>, and the command that parses them.</summary>
internal sealed record AnalyzeOptions(string Input, string Graph, int K, NaNHandling NaN, PersistenceThreshold? Simplify, string? Output, string? Pairs = null)
{
    /// <summary>For an .h5 surface file: the dataset to read (null: <c>train_loss</c>).</summary>
    public string? Dataset { get; init; }

    /// <summary>For an .npz archive: the array to read (null: <c>loss</c>, or the only array).</summary>
    public string? Array { get; init; }

    /// <summary>Compute threads (null: <see cref="ComputeThreads.Choose(int?)"/>).</summary>
    public int? Threads { get; init; }

    /// <summary>The highest homology dimension to add (1: holes; 2: loops and voids of a 3-D grid); 0 adds nothing.</summary>
    public int Dimension { get; init; }

    /// <summary>Whether to add the steepest-descent basins' numbers (SMAD, after Landscaper).</summary>
    public bool Basins { get; init; }

    private static readonly string[] Graphs = ["axis", "full", "freudenthal", "knn", "delaunay", "gabriel"];

    /// <summary>The <c>analyze</c> command; its action runs <see cref="AnalyzeCommand"/>.</summary>
    public static Command CreateCommand()
    {
        var input = new Argument<string>("file")
        {
            Description = "the landscape: .npy (NumPy), .npz (NumPy archive, e.g. Landscaper's), .h5 (loss-landscape's surface file), .vti (VTK image) or .csv (coordinates and value)",
        };
        Option<string> graph = OptionValues.Choice("--graph", "how samples are joined: axis (4 neighbours in 2-D), full (8 in 2-D, 26 in 3-D: the paper's pixel connectivity), freudenthal (TTK's triangulation), knn (k nearest neighbours), delaunay, gabriel (2-D); the last three also take scattered points", "full", Graphs);
        Option<int?> k = OptionValues.OptionalWholeNumber("--k", "neighbours for --graph knn (default 8)", 1);
        Option<string> nan = OptionValues.Choice("--nan", "error: a NaN is an error naming its index; inf: read NaN as +infinity (a diverged loss)", "error", "error", "inf");
        var simplify = new Option<PersistenceThreshold?>("--simplify")
        {
            Description = "drop persistence pairs below an absolute threshold, or below a percentage of the value range (20%)",
            HelpName = "threshold|percent%",
            CustomParser = ParseThreshold,
        };
        Option<string?> pairs = OptionValues.OptionalText("--pairs", "write the persistence pairs to this file instead of stdout: CSV (birth,death; inf for +infinity) or, for a name ending in .json, the JSON array [[birth, death], …]; stdout then has \"pairs\": [] and \"pairsFile\"", "FILE");
        Option<string?> output = OptionValues.OptionalText("--out", "also write pictures, VTK files (.vti/.vtu/.vtp), CSV and JSON into this folder", "DIR");
        Option<string?> dataset = OptionValues.OptionalText("--dataset", "the dataset of an .h5 surface file (default train_loss; also train_acc, test_loss, …)", "NAME");
        Option<string?> array = OptionValues.OptionalText("--array", "the array of an .npz archive (default loss, or its only array)", "NAME");
        Option<int?> threads = OptionValues.Threads();
        Option<int?> dimension = OptionValues.OptionalWholeNumber("--dimension", "also the persistence pairs of every homology dimension up to this one, as \"pairs1\" (holes, loops) and \"pairs2\" (voids of a 3-D grid) with their \"metrics1\" and \"metrics2\"; --graph full or axis (default 0: components only)", 0);

        var basins = new Option<bool>("--basins") { Description = "also the steepest-descent basins' numbers as \"basins\": basinCount, smad (Landscaper's saddle-minimum average distance), normalizedSmad, weightedSmad, largestBasinFraction (of the landscape before --simplify)" };
        var command = new Command("analyze", "Merge tree, persistence pairs and metrics of a landscape file; prints one compact JSON object: vertexCount, minimumCount, saddleCount, boundaryMinimumCount, averagePersistence (TTK), averageFinitePersistence, pairs, essential, …")
        {
            input, graph, k, nan, simplify, pairs, output, dataset, array, threads, dimension, basins,
        };
        command.Validators.Add(result =>
        {
            // Runs after the options' own parsers; reading one that failed throws, and its own message says why.
            string chosen;
            try
            {
                chosen = result.GetValue(graph) ?? "full";
            }
            catch (InvalidOperationException)
            {
                return;
            }

            if (result.GetResult(k) is { Implicit: false } && chosen != "knn")
            {
                result.AddError($"--k applies to --graph knn only (the graph is {chosen})");
            }

            string file = result.GetValue(input) ?? string.Empty;
            string extension = Path.GetExtension(file).ToLowerInvariant();
            if (result.GetResult(dataset) is not null && extension is not (".h5" or ".hdf5"))
            {
                result.AddError($"--dataset applies to .h5 files only, not '{file}'");
            }

            if (result.GetResult(array) is not null && extension != ".npz")
            {
                result.AddError($"--array applies to .npz files only, not '{file}'");
            }
        });
        command.SetAction(parse => AnalyzeCommand.Run(
            new AnalyzeOptions(
                parse.GetRequiredValue(input),
                parse.GetValue(graph) ?? "full",
                parse.GetValue(k) ?? 8,
                parse.GetValue(nan) == "inf" ? NaNHandling.TreatAsPositiveInfinity : NaNHandling.Throw,
                parse.GetValue(simplify),
                parse.GetValue(output),
                parse.GetValue(pairs))
            {
                Dataset = parse.GetValue(dataset),
                Array = parse.GetValue(array),
                Threads = parse.GetValue(threads),
                Dimension = parse.GetValue(dimension) ?? 0,
                Basins = parse.GetValue(basins),
            },
            parse.InvocationConfiguration.Output));
        return command;
    }

    private static PersistenceThreshold? ParseThreshold(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        bool percent = text.EndsWith('%');
        string number = percent ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < 0 || !double.IsFinite(value))
        {
            result.AddError($"--simplify takes a finite non-negative number or percentage, not '{text}'");
            return null;
        }

        if (percent && value > 100)
        {
            result.AddError($"--simplify {text} is more than the whole value range (use at most 100%)");
            return null;
        }

        return percent ? PersistenceThreshold.Relative(value / 100) : PersistenceThreshold.Absolute(value);
    }
}
