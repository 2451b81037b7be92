using System.Globalization;
using System.Text;
using LossLandscape.Topology.IO;

namespace LossLandscape.Topology.Studies;

/// <summary>A study's tables as CSV for spreadsheets and pandas (invariant culture, numbers to the last digit).</summary>
public static class StudyFiles
{
    /// <summary>Column names of <see cref="WriteClaims"/>, in order.</summary>
    public const string ClaimsHeader = "claim,metric,directions,spearman_rho,ci_low,ci_high,n,verdict";

    /// <summary>Writes the table: text columns first, then numeric columns, one row per table row.</summary>
    public static void WriteTable(string path, SweepTable table, IReadOnlyList<string>? numberColumns = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(table);
        IReadOnlyList<string> texts = table.TextColumns;
        IReadOnlyList<string> numbers = numberColumns ?? table.NumberColumns;
        var text = new StringBuilder(string.Join(',', texts.Concat(numbers).Select(CsvFiles.Quote))).Append('\n');
        foreach (SweepRow row in table.Rows)
        {
            text.Append(string.Join(',', texts.Select(c => CsvFiles.Quote(row.Texts.TryGetValue(c, out string? v) ? v : string.Empty))
                .Concat(numbers.Select(c => row.Numbers.TryGetValue(c, out double v) ? TextNumbers.Format(v) : string.Empty)))).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Writes one row per claim: <see cref="ClaimsHeader"/>, the verdict in lower case.</summary>
    public static void WriteClaims(string path, IEnumerable<ClaimResult> results)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder(ClaimsHeader).Append('\n');
        foreach (ClaimResult r in results)
        {
            RankCorrelation c = r.Correlation;
            text.Append(string.Join(',',
                CsvFiles.Quote(r.Claim.Text), CsvFiles.Quote(r.Claim.Metric + " vs " + r.Claim.Against), CsvFiles.Quote(r.Claim.Directions ?? "all"),
                TextNumbers.Format(c.Rho), TextNumbers.Format(c.Low), TextNumbers.Format(c.High),
                c.Count.ToString(CultureInfo.InvariantCulture), r.Verdict.ToString().ToLowerInvariant())).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }
}
