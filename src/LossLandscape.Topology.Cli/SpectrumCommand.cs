using LossLandscape.Topology.CommandLine;
using System.Text.Json;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Spectra;

namespace LossLandscape.Topology.Cli;

/// <summary><c>llt spectrum</c>: top eigenvalues, trace and eigenvalue density of an explicit symmetric matrix.</summary>
internal static class SpectrumCommand
{
    public static int Run(SpectrumOptions options, TextWriter stdout)
    {
        if (!File.Exists(options.Input))
        {
            throw new UsageException($"{options.Input}: no such file");
        }

        if (!options.Input.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"{options.Input}: llt spectrum reads .npy matrices");
        }

        (double[] values, int[] shape) = ReadMatrix(options.Input);
        if (shape.Length != 2 || shape[0] != shape[1])
        {
            throw new UsageException($"{options.Input}: the array has shape ({string.Join(", ", shape)}); a matrix of shape (n, n) is needed");
        }

        int n = shape[0];
        int count = options.Top ?? Math.Min(5, n);
        if (count > n)
        {
            throw new UsageException($"--top {count} is more than the matrix's dimension {n}");
        }

        DenseSymmetricOperator matrix;
        try
        {
            matrix = new DenseSymmetricOperator(values, symmetryTolerance: 1e-10);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{options.Input}: {e.Message.Split(" (Parameter")[0]}");
        }

        var analyzer = new SpectralAnalyzer(matrix);
        Eigenpairs top = analyzer.TopEigenpairs(count, new LanczosOptions { Seed = options.Seed, MaxProducts = Math.Max(200, count + 1) });
        TraceEstimate? trace = options.TraceProducts > 0 ? analyzer.HutchPlusPlus(new HutchPlusPlusOptions { Products = options.TraceProducts, Seed = options.Seed }) : null;
        SpectralDensity? density = options.DensitySteps > 0
            ? analyzer.SpectralDensity(new SpectralDensityOptions { Steps = Math.Min(options.DensitySteps, n), Runs = options.DensityRuns, Seed = options.Seed })
            : null;

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("dimension", n);
            WriteArray(json, "topEigenvalues", top.Eigenvalues);
            WriteArray(json, "errorEstimates", top.ErrorEstimates);
            json.WriteNumber("lanczosProducts", top.Products);
            json.WriteBoolean("converged", top.Converged);
            json.WriteNumber("trace", matrix.Trace());
            if (trace is not null)
            {
                json.WriteStartObject("traceEstimate");
                json.WriteNumber("estimate", trace.Estimate);
                if (double.IsFinite(trace.StandardError))
                {
                    json.WriteNumber("standardError", trace.StandardError);
                }
                else
                {
                    json.WriteNull("standardError");
                }

                json.WriteNumber("products", trace.Products);
                json.WriteEndObject();
            }

            if (density is not null)
            {
                json.WriteStartObject("density");
                WriteRuns(json, "nodes", density.Nodes);
                WriteRuns(json, "weights", density.Weights);
                json.WriteNumber("products", density.Products);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        return 0;
    }

    private static (double[] Values, int[] Shape) ReadMatrix(string path)
    {
        try
        {
            return NpyFile.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new UsageException($"{path}: {e.Message}");
        }
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (double v in values)
        {
            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
    }

    private static void WriteRuns(Utf8JsonWriter json, string name, System.Collections.Immutable.ImmutableArray<System.Collections.Immutable.ImmutableArray<double>> runs)
    {
        json.WriteStartArray(name);
        foreach (System.Collections.Immutable.ImmutableArray<double> run in runs)
        {
            json.WriteStartArray();
            foreach (double v in run)
            {
                json.WriteNumberValue(v);
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
    }
}
