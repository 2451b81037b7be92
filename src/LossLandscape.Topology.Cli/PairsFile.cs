using LossLandscape.Topology.CommandLine;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace LossLandscape.Topology.Cli;

/// <summary>The persistence pairs of <c>llt analyze --pairs</c>: CSV (<c>birth,death</c>) or, for <c>.json</c>, the JSON array stdout would hold.</summary>
internal static class PairsFile
{
    public static void Write(string path, ImmutableArray<ImmutableArray<double>> pairs)
    {
        bool json = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        try
        {
            using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
            writer.Write(json ? "[" : "birth,death\n");
            for (int i = 0; i < pairs.Length; i++)
            {
                string birth = Number(pairs[i][0], json);
                string death = Number(pairs[i][1], json);
                writer.Write(json ? $"{(i > 0 ? "," : string.Empty)}[{birth},{death}]" : $"{birth},{death}\n");
            }

            writer.Write(json ? "]\n" : string.Empty);
        }
        catch (DirectoryNotFoundException)
        {
            throw new UsageException($"--pairs {path}: the folder does not exist");
        }
    }

    /// <summary>Shortest round-trip form; +∞ as NumPy and pandas read it in CSV ("inf"), as the summary writes it in JSON.</summary>
    private static string Number(double value, bool json) => double.IsPositiveInfinity(value)
        ? (json ? "\"Infinity\"" : "inf")
        : value.ToString("R", CultureInfo.InvariantCulture);
}
