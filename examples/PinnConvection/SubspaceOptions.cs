using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using LossLandscape.Topology.CommandLine;

namespace PinnConvection;

/// <summary>
/// Options of <c>PinnConvection subspaces</c>: the landscape of one trained PINN in the span of its top k Hessian
/// eigenvectors, for several k and sample counts, each under several scattered designs. The defaults run in a few
/// minutes on 2 cores.
/// </summary>
internal sealed record SubspaceOptions
{
    public double Beta { get; init; } = 5;

    public int[] Dimensions { get; init; } = [3, 4, 5, 6, 8, 10];

    public int[] Samples { get; init; } = [250, 500, 1000, 2000];

    public int DesignSeeds { get; init; } = 5;

    public int Neighbors { get; init; } = 16;

    public double Range { get; init; } = 1;

    public int AdamSteps { get; init; } = 2000;

    public int Seed { get; init; }

    public int? Threads { get; init; }

    public string Output { get; init; } = "pinn-subspaces-report";

    public bool Quiet { get; init; }

    // The model and data of the main study's default (not on the command line: the subspaces are the question here).
    public int CollocationPoints { get; init; } = 1000;

    public int InitialPoints { get; init; } = 256;

    public int BoundaryPoints { get; init; } = 100;

    public int Width { get; init; } = 50;

    public int Depth { get; init; } = 4;

    public int BatchSize { get; init; } = 32;

    public static RootCommand CreateCommand(Func<SubspaceOptions, int> run)
    {
        Option<double?> beta = OptionValues.OptionalNumber("--beta", "convection speed of the PINN (default 5)", above: 0);
        var dims = new Option<int[]?>("--dims") { Description = "numbers of top Hessian eigenvectors, a list (default 3,4,5,6,8,10; at most 25)", HelpName = "LIST", CustomParser = r => ParseList(r, "--dims", 1, 25) };
        var samples = new Option<int[]?>("--samples") { Description = "sample counts, a list (default 250,500,1000,2000); each is the start of the largest design", HelpName = "LIST", CustomParser = r => ParseList(r, "--samples", 2, 1_000_000) };
        Option<int?> seeds = OptionValues.OptionalWholeNumber("--design-seeds", "scattered designs (shifted Halton sequences) per subspace (default 5)", 2);
        Option<int?> neighbors = OptionValues.OptionalWholeNumber("--neighbors", "k of the NN-descent graph (default 16)", 1);
        Option<double?> range = OptionValues.OptionalNumber("--range", "design box from -X to X on every axis (default 1)", above: 0);
        Option<int?> steps = OptionValues.OptionalWholeNumber("--steps", "Adam steps (default 2000)", 0);
        Option<int?> seed = OptionValues.OptionalWholeNumber("--seed", "seed of data and initialisation (default 0)", int.MinValue);
        Option<int?> threads = OptionValues.Threads();
        Option<string?> output = OptionValues.OptionalText("--out", "output folder (default pinn-subspaces-report)", "DIR");
        var quiet = new Option<bool>("--quiet") { Description = "no progress lines" };
        var command = new RootCommand("The PINN's landscape in the span of its top 3 … 10 Hessian eigenvectors, sampled by scattered designs: minima, saddles and average persistence against the number of directions and of samples, with 95% intervals over designs")
        {
            beta, dims, samples, seeds, neighbors, range, steps, seed, threads, output, quiet,
        };
        command.HelpName = "PinnConvection subspaces";
        command.SetAction(parse =>
        {
            var o = new SubspaceOptions();
            return run(o with
            {
                Beta = parse.GetValue(beta) ?? o.Beta,
                Dimensions = parse.GetResult(dims) is null ? o.Dimensions : parse.GetRequiredValue(dims)!,
                Samples = parse.GetResult(samples) is null ? o.Samples : parse.GetRequiredValue(samples)!,
                DesignSeeds = parse.GetValue(seeds) ?? o.DesignSeeds,
                Neighbors = parse.GetValue(neighbors) ?? o.Neighbors,
                Range = parse.GetValue(range) ?? o.Range,
                AdamSteps = parse.GetValue(steps) ?? o.AdamSteps,
                Seed = parse.GetValue(seed) ?? o.Seed,
                Threads = parse.GetValue(threads),
                Output = parse.GetValue(output) ?? o.Output,
                Quiet = parse.GetValue(quiet),
            });
        });
        return command;
    }

    /// <summary>Parses a command line into options (for tests).</summary>
    /// <exception cref="ArgumentException">An option is unknown or has a bad value; the message names it.</exception>
    public static SubspaceOptions Parse(string[] args) => CommandLineRunner.Parse<SubspaceOptions>(CreateCommand, args, "PinnConvection subspaces");

    private static int[]? ParseList(ArgumentResult result, string name, int least, int most)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        var values = new List<int>();
        foreach (string part in text.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < least || v > most)
            {
                result.AddError($"{name} takes a list of whole numbers from {least} to {most} (3,5,10), not '{text}'");
                return null;
            }

            values.Add(v);
        }

        return [.. values.Distinct().Order()];
    }
}
