using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using LossLandscape.Topology.CommandLine;

namespace PinnConvection;

/// <summary>Command-line options of the convection study; the defaults are the small CPU run.</summary>
internal sealed record StudyOptions
{
    // Up to β = 40: with this training set-up the PINN fails (relative L2 error > 0.5) from β ≈ 20 on, so the
    // default sweep spans both regimes (Krishnapriyan et al. 2021 see failure as β grows towards 30–50).
    public double[] Betas { get; init; } = [1, 5, 10, 20, 30, 40];

    public int DirectionSeeds { get; init; } = 3;

    public int? Threads { get; init; }

    public int AdamSteps { get; init; } = 2000;

    public int LbfgsSteps { get; init; }

    public double LearningRate { get; init; } = 1e-3;

    public int GridSize { get; init; } = 21;

    public double Range { get; init; } = 1;

    public int CollocationPoints { get; init; } = 1000;

    public int InitialPoints { get; init; } = 256;

    public int BoundaryPoints { get; init; } = 100;

    public int Width { get; init; } = 50;

    public int Depth { get; init; } = 4;

    public int Seed { get; init; }

    public int BatchSize { get; init; } = 32;

    public int HutchPlusPlusProducts { get; init; } = 99;

    public int DensitySteps { get; init; } = 80;

    public string Output { get; init; } = "pinn-convection-report";

    public string Device { get; init; } = "cpu";

    public bool Quiet { get; init; }

    /// <summary>The paper's size (Sec. 3.2): β from 1 to 50, 41 × 41 grids, 10,000 Adam and 1,000 L-BFGS steps.</summary>
    public static StudyOptions Full { get; } = new() { Betas = [1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50], GridSize = 41, AdamSteps = 10000, LbfgsSteps = 1000 };

    /// <summary>The study's command line; <paramref name="run"/> gets the options (an explicit option wins over <c>--full</c>).</summary>
    public static RootCommand CreateCommand(Func<StudyOptions, int> run)
    {
        var betas = new Option<double[]?>("--betas") { Description = "convection speeds, a list (1,5,10) or a range (1..10) (default 1,5,10,20,30,40: both regimes)", HelpName = "LIST", CustomParser = ParseBetas };
        Option<int?> steps = OptionValues.OptionalWholeNumber("--steps", "Adam steps per model (default 2000)", 0);
        Option<int?> lbfgs = OptionValues.OptionalWholeNumber("--lbfgs", "L-BFGS iterations after Adam (default 0)", 0);
        Option<double?> lr = OptionValues.OptionalNumber("--lr", "Adam learning rate (default 1e-3)", above: 0);
        Option<int?> grid = OptionValues.OptionalWholeNumber("--grid", "landscape resolution N × N (default 21)", 2);
        Option<double?> range = OptionValues.OptionalNumber("--range", "landscape axes from -X to X (default 1)", above: 0);
        Option<int?> collocation = OptionValues.OptionalWholeNumber("--collocation", "residual points (default 1000)", 1);
        Option<int?> seed = OptionValues.OptionalWholeNumber("--seed", "seed of data, initialisation and directions (default 0)", int.MinValue);
        Option<int?> directionSeeds = OptionValues.OptionalWholeNumber("--direction-seeds", "random subspaces per β, each with its own seed (default 3)", 1);
        Option<int?> threads = OptionValues.Threads();
        Option<string?> output = OptionValues.OptionalText("--out", "output folder (default pinn-convection-report)", "DIR");
        Option<string?> device = OptionValues.OptionalText("--device", "where the model lives: cpu, cuda or cuda:K (default cpu)", "DEVICE");
        var full = new Option<bool>("--full") { Description = "the paper's size: betas 1..50, 41 × 41 grids, 10000 Adam + 1000 L-BFGS steps" };
        var quiet = new Option<bool>("--quiet") { Description = "no progress bars" };
        var command = new RootCommand("The paper's PINN convection study (Sec. 3.2) on a small default: train a PINN per β, then its landscape's topology and Hessian numbers, the claims tested, report.html")
        {
            betas, steps, lbfgs, lr, grid, range, collocation, seed, directionSeeds, threads, output, device, full, quiet,
        };
        command.HelpName = "PinnConvection";
        command.SetAction(parse =>
        {
            StudyOptions o = parse.GetValue(full) ? Full : new StudyOptions();
            return run(o with
            {
                // An array option left out reads as an empty array, not null: take the default unless it was given.
                Betas = parse.GetResult(betas) is null ? o.Betas : parse.GetRequiredValue(betas)!,
                AdamSteps = parse.GetValue(steps) ?? o.AdamSteps,
                LbfgsSteps = parse.GetValue(lbfgs) ?? o.LbfgsSteps,
                LearningRate = parse.GetValue(lr) ?? o.LearningRate,
                GridSize = parse.GetValue(grid) ?? o.GridSize,
                Range = parse.GetValue(range) ?? o.Range,
                CollocationPoints = parse.GetValue(collocation) ?? o.CollocationPoints,
                Seed = parse.GetValue(seed) ?? o.Seed,
                DirectionSeeds = parse.GetValue(directionSeeds) ?? o.DirectionSeeds,
                Threads = parse.GetValue(threads),
                Output = parse.GetValue(output) ?? o.Output,
                Device = parse.GetValue(device) ?? o.Device,
                Quiet = parse.GetValue(quiet),
            });
        });
        return command;
    }

    /// <summary>Parses a command line into options (for tests and callers that run the study themselves).</summary>
    /// <exception cref="ArgumentException">An option is unknown or has a bad value; the message names it.</exception>
    public static StudyOptions Parse(string[] args) => CommandLineRunner.Parse<StudyOptions>(CreateCommand, args, "PinnConvection");

    private static double[]? ParseBetas(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        string[] ends = text.Split("..");
        double[]? values = null;
        if (ends.Length == 2 && int.TryParse(ends[0], CultureInfo.InvariantCulture, out int first) && int.TryParse(ends[1], CultureInfo.InvariantCulture, out int last) && first <= last && last - first < 10_000)
        {
            values = Enumerable.Range(first, last - first + 1).Select(b => (double)b).ToArray();
        }
        else if (ends.Length == 1)
        {
            var list = new List<double>();
            foreach (string part in text.Split(','))
            {
                if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double b) || !double.IsFinite(b))
                {
                    list = null;
                    break;
                }

                list.Add(b);
            }

            values = list?.ToArray();
        }

        if (values is null || values.Length == 0)
        {
            result.AddError($"--betas takes a list of numbers (1,5,10) or a whole-number range (1..10), not '{text}'");
        }

        return values;
    }
}
