using System.Globalization;

namespace LossLandscape.Topology.Cli;

/// <summary>The options of <c>llt spectrum</c>.</summary>
internal sealed record SpectrumOptions(string Input, int? Top, int TraceProducts, int DensitySteps, int DensityRuns, int Seed)
{
    public const string Usage = """
        usage: llt spectrum <matrix.npy> [--top 5] [--trace-products 99] [--density-steps 100] [--density-runs 1] [--seed 0]
          <matrix.npy>       an n × n symmetric matrix (a Hessian saved from NumPy or PyTorch), float64 or float32
          --top              largest eigenvalues to find by Lanczos (default 5, or n when smaller; at most n)
          --trace-products   products for the Hutch++ trace estimate beside the exact trace (default 99; 0 skips it)
          --density-steps    Lanczos steps of the spectral density by stochastic Lanczos quadrature (default 100; 0 skips it)
          --density-runs     start vectors of the density (default 1)
          --seed             seed of every random vector (default 0)
        Prints one JSON object: dimension, topEigenvalues, errorEstimates, lanczosProducts, converged, trace,
        traceEstimate {estimate, standardError, products}, density {nodes, weights, products}.
        """;

    public static SpectrumOptions Parse(IReadOnlyList<string> args)
    {
        string? input = null;
        var options = new SpectrumOptions(string.Empty, null, 99, 100, 1, 0);
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            int Next(int least)
            {
                string text = i + 1 < args.Count ? args[++i] : throw new CliException($"option {name} needs a value");
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < least)
                {
                    throw new CliException($"{name} must be a whole number of at least {least}, not '{text}'");
                }

                return value;
            }

            options = name switch
            {
                "--top" => options with { Top = Next(1) },
                "--trace-products" => options with { TraceProducts = Next(0) },
                "--density-steps" => options with { DensitySteps = Next(0) },
                "--density-runs" => options with { DensityRuns = Next(1) },
                "--seed" => options with { Seed = Next(int.MinValue) },
                _ when name.StartsWith('-') => throw new CliException($"unknown option '{name}'"),
                _ when input is not null => throw new CliException($"one input file only ('{input}' and '{name}' given)"),
                _ => options,
            };
            if (!name.StartsWith('-'))
            {
                input = name;
            }
        }

        if (options.TraceProducts is > 0 and < 3)
        {
            throw new CliException($"--trace-products must be 0 or at least 3 (Hutch++ splits them in thirds), not {options.TraceProducts}");
        }

        return options with { Input = input ?? throw new CliException("no input file given") };
    }
}
