using System.Globalization;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Cli;

/// <summary>The options of <c>llt analyze</c>.</summary>
internal sealed record AnalyzeOptions(string Input, string Graph, int K, NaNHandling NaN, PersistenceThreshold? Simplify, string? Output, string? Pairs = null)
{
    public const string Usage = """
        usage: llt analyze <file.npy|file.vti|file.csv> [--graph axis|full|freudenthal|knn|delaunay|gabriel] [--k 8]
                           [--nan error|inf] [--simplify <threshold>|<percent>%] [--pairs <file.csv|file.json>] [--out <dir>]
          --graph     how samples are joined: axis (4 neighbours in 2-D), full (default; 8 in 2-D, 26 in 3-D: the
                      paper's pixel connectivity), freudenthal (TTK's triangulation), knn (k nearest neighbours),
                      delaunay, gabriel (2-D); the last three also take scattered points
          --k         neighbours for knn (default 8)
          --nan       error (default): a NaN is an error naming its index; inf: read NaN as +infinity
          --simplify  drop persistence pairs below an absolute threshold, or below a percentage of the value range
          --pairs     write the persistence pairs to this file instead of stdout: CSV (birth,death; inf for +infinity)
                      or, for a name ending in .json, the JSON array [[birth, death], …]; stdout then has
                      "pairs": [] and "pairsFile"
          --out       also write pictures, VTK files (.vti/.vtu/.vtp), CSV and JSON into this folder
        Prints one compact JSON object: vertexCount, minimumCount, saddleCount, boundaryMinimumCount, averagePersistence (TTK), averageFinitePersistence, pairs, essential, …
        """;

    public static AnalyzeOptions Parse(IReadOnlyList<string> args)
    {
        string? input = null;
        string graph = "full";
        int k = 8;
        NaNHandling nan = NaNHandling.Throw;
        PersistenceThreshold? simplify = null;
        string? output = null;
        string? pairs = null;
        bool kGiven = false;
        for (int i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new CliException($"option {args[i]} needs a value");
            switch (args[i])
            {
                case "--graph":
                    graph = Next();
                    if (graph is not ("axis" or "full" or "freudenthal" or "knn" or "delaunay" or "gabriel"))
                    {
                        throw new CliException($"unknown --graph '{graph}' (use axis, full, freudenthal, knn, delaunay or gabriel)");
                    }

                    break;
                case "--k":
                    string kText = Next();
                    kGiven = true;
                    if (!int.TryParse(kText, NumberStyles.None, CultureInfo.InvariantCulture, out k) || k < 1)
                    {
                        throw new CliException($"--k must be a positive whole number, not '{kText}'");
                    }

                    break;
                case "--nan":
                    nan = Next() switch
                    {
                        "error" => NaNHandling.Throw,
                        "inf" => NaNHandling.TreatAsPositiveInfinity,
                        var other => throw new CliException($"--nan must be 'error' or 'inf', not '{other}'"),
                    };
                    break;
                case "--simplify":
                    simplify = ParseThreshold(Next());
                    break;
                case "--pairs":
                    pairs = Next();
                    if (pairs.Trim().Length == 0)
                    {
                        throw new CliException("--pairs needs a file name, not an empty string");
                    }

                    break;
                case "--out":
                    output = Next();
                    if (output.Trim().Length == 0)
                    {
                        throw new CliException("--out needs a folder name, not an empty string");
                    }

                    break;
                default:
                    if (args[i].StartsWith('-'))
                    {
                        throw new CliException($"unknown option '{args[i]}'");
                    }

                    if (input is not null)
                    {
                        throw new CliException($"one input file only ('{input}' and '{args[i]}' given)");
                    }

                    input = args[i];
                    break;
            }
        }

        if (kGiven && graph != "knn")
        {
            throw new CliException($"--k applies to --graph knn only (the graph is {graph})");
        }

        return new AnalyzeOptions(input ?? throw new CliException("no input file given"), graph, k, nan, simplify, output, pairs);
    }

    private static PersistenceThreshold ParseThreshold(string text)
    {
        bool percent = text.EndsWith('%');
        string number = percent ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < 0 || !double.IsFinite(value))
        {
            throw new CliException($"--simplify takes a finite non-negative number or percentage, not '{text}'");
        }

        if (percent && value > 100)
        {
            throw new CliException($"--simplify {text} is more than the whole value range (use at most 100%)");
        }

        return percent ? PersistenceThreshold.Relative(value / 100) : PersistenceThreshold.Absolute(value);
    }
}

/// <summary>A user error: printed as one line on stderr, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
