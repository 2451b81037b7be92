using System.CommandLine;
using System.Text.Json;
using LossLandscape.Topology.CommandLine;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Cli;

/// <summary><c>llt compare A B</c>: distances between two landscapes' persistence diagrams.</summary>
internal static class CompareCommand
{
    /// <summary>
    /// Finite pairs (both diagrams together) up to which the 1-Wasserstein distance is computed (the auction takes
    /// 0.15 s for 1,000 + 1,000 pairs and grows roughly quadratically: 15 s for 10,000 + 10,000); beyond, it is
    /// reported as null with the reason, so that a comparison never hangs. The bottleneck distance is geometric
    /// and has no such limit.
    /// </summary>
    public const int WassersteinLimit = 20_000;

    public static Command Create()
    {
        var first = new Argument<string>("first") { Description = "a landscape file (.npy, .npz, .h5, .vti or .csv)" };
        var second = new Argument<string>("second") { Description = "another landscape file" };
        Option<string> graph = OptionValues.Choice("--graph", "how samples are joined, for both files (as in llt analyze)", "full", "axis", "full", "freudenthal");
        Option<string> nan = OptionValues.Choice("--nan", "error: a NaN is an error naming its index; inf: read NaN as +infinity", "error", "error", "inf");
        var command = new Command("compare", "Bottleneck and 1-Wasserstein distances between the 0-dimensional persistence diagrams of two landscapes (GUDHI's conventions: L∞ between points, finite pairs), as one JSON object: bottleneck, wasserstein1, pairs, essentialBirths")
        {
            first, second, graph, nan,
        };
        command.SetAction(parse =>
        {
            NaNHandling handling = parse.GetValue(nan) == "inf" ? NaNHandling.TreatAsPositiveInfinity : NaNHandling.Throw;
            string graphName = parse.GetValue(graph) ?? "full";
            PersistenceDiagram a = Diagram(parse.GetRequiredValue(first), graphName, handling);
            PersistenceDiagram b = Diagram(parse.GetRequiredValue(second), graphName, handling);
            Write(a, b, parse.InvocationConfiguration.Output);
            return 0;
        });
        return command;
    }

    private static PersistenceDiagram Diagram(string path, string graphName, NaNHandling nan)
    {
        var options = new AnalyzeOptions(path, graphName, 8, nan, null, null);
        Landscapes.Landscape landscape = AnalyzeCommand.Load(options);
        try
        {
            return new MergeTreeBuilder(new MergeTreeOptions { NaNHandling = nan }).Build(AnalyzeCommand.BuildGraph(landscape, options), landscape).ToPersistenceDiagram();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{path}: {e.Message.Split(". Fix")[0]}");
        }
    }

    private static void Write(PersistenceDiagram a, PersistenceDiagram b, TextWriter output)
    {
        int finite = a.Pairs.Count(p => double.IsFinite(p.Death)) + b.Pairs.Count(p => double.IsFinite(p.Death));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WritePropertyName("bottleneck");
            Number(json, DiagramDistance.Bottleneck(a, b));
            if (finite <= WassersteinLimit)
            {
                json.WritePropertyName("wasserstein1");
                Number(json, DiagramDistance.Wasserstein(a, b, 1));
            }
            else
            {
                json.WriteNull("wasserstein1");
                json.WriteString("wasserstein1Skipped", $"{finite} finite pairs; llt computes the 1-Wasserstein distance up to {WassersteinLimit} (DiagramDistance.Wasserstein takes any size)");
            }

            json.WriteStartArray("pairs");
            json.WriteNumberValue(a.Pairs.Length);
            json.WriteNumberValue(b.Pairs.Length);
            json.WriteEndArray();
            json.WriteStartArray("essentialBirths");
            foreach (PersistenceDiagram d in new[] { a, b })
            {
                json.WriteStartArray();
                foreach (EssentialClass e in d.Essential)
                {
                    Number(json, e.Birth);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    // As in llt analyze's JSON: ±∞ as the strings "Infinity" / "-Infinity" (JSON has no literal for them).
    private static void Number(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
