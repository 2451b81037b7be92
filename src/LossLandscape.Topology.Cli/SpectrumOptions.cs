using System.CommandLine;
using LossLandscape.Topology.CommandLine;

namespace LossLandscape.Topology.Cli;

/// <summary>The options of <c>llt spectrum</c>, and the command that parses them.</summary>
internal sealed record SpectrumOptions(string Input, int? Top, int TraceProducts, int DensitySteps, int DensityRuns, int Seed)
{
    /// <summary>The <c>spectrum</c> command; its action runs <see cref="SpectrumCommand"/>.</summary>
    public static Command CreateCommand()
    {
        var input = new Argument<string>("matrix.npy") { Description = "an n × n symmetric matrix (a Hessian saved from NumPy or PyTorch), float64 or float32" };
        Option<int?> top = OptionValues.OptionalWholeNumber("--top", "largest eigenvalues to find by Lanczos (default 5, or n when smaller; at most n)", 1);
        Option<int> traceProducts = OptionValues.WholeNumber("--trace-products", "products for the Hutch++ trace estimate beside the exact trace (0 skips it)", 0, 99);
        Option<int> densitySteps = OptionValues.WholeNumber("--density-steps", "Lanczos steps of the spectral density by stochastic Lanczos quadrature (0 skips it)", 0, 100);
        Option<int> densityRuns = OptionValues.WholeNumber("--density-runs", "start vectors of the density", 1, 1);
        Option<int> seed = OptionValues.WholeNumber("--seed", "seed of every random vector", int.MinValue, 0);
        var command = new Command("spectrum", "Top eigenvalues, exact trace beside the Hutch++ estimate, and the eigenvalue density (SLQ nodes and weights) of a symmetric matrix; prints one JSON object: dimension, topEigenvalues, errorEstimates, lanczosProducts, converged, trace, traceEstimate {estimate, standardError, products}, density {nodes, weights, products}")
        {
            input, top, traceProducts, densitySteps, densityRuns, seed,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(traceProducts) is > 0 and < 3 and var p)
            {
                result.AddError($"--trace-products must be 0 or at least 3 (Hutch++ splits them in thirds), not {p}");
            }
        });
        command.SetAction(parse => SpectrumCommand.Run(
            new SpectrumOptions(parse.GetRequiredValue(input), parse.GetValue(top), parse.GetValue(traceProducts), parse.GetValue(densitySteps), parse.GetValue(densityRuns), parse.GetValue(seed)),
            parse.InvocationConfiguration.Output));
        return command;
    }
}
