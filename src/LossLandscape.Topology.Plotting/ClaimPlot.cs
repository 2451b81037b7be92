using System.Globalization;
using LossLandscape.Topology.Studies;
using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>A claim's data: every row's metric against the swept quantity, titled with ρ, its interval and the verdict.</summary>
public static class ClaimPlot
{
    /// <summary>Draws the claim's rows of <paramref name="table"/>.</summary>
    /// <param name="table">The sweep.</param>
    /// <param name="result">The claim and its test.</param>
    /// <param name="againstLabel">Horizontal axis title; the column's name by default.</param>
    /// <param name="categories">Names of the horizontal values when the column encodes conditions (0 → "plain", 1 → "residual"): drawn as named, slightly spread categories instead of a number line.</param>
    public static Plot Create(SweepTable table, ClaimResult result, string? againstLabel = null, IReadOnlyDictionary<double, string>? categories = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(result);
        Claim claim = result.Claim;
        SweepTable rows = claim.Directions is null ? table : table.Where("directions", claim.Directions);
        double[] x = rows.Column(claim.Against);
        double[] y = rows.Column(claim.Metric);
        var plot = new Plot();
        double[] shownX = x;
        if (categories is not null)
        {
            // Points of one condition spread a little sideways, so that equal values stay visible.
            var seen = new Dictionary<double, int>();
            shownX = x.Select(v =>
            {
                int k = seen[v] = seen.GetValueOrDefault(v) + 1;
                return v + (((k % 7) - 3) * 0.03);
            }).ToArray();
        }

        var points = plot.Add.ScatterPoints(shownX, y, Colors.RoyalBlue);
        points.MarkerSize = 9;
        if (categories is not null)
        {
            double[] at = [.. categories.Keys.Order()];
            plot.Axes.Bottom.SetTicks(at, at.Select(v => categories[v]).ToArray());
            plot.Axes.SetLimitsX(at[0] - 0.5, at[^1] + 0.5);
        }
        else
        {
            AxisTicks.IntegersWhenWhole(plot.Axes.Bottom, x);
        }

        AxisTicks.IntegersWhenWhole(plot.Axes.Left, y);
        plot.Axes.Bottom.Label.Text = againstLabel ?? claim.Against;
        plot.Axes.Left.Label.Text = claim.Metric.Replace('_', ' ');
        RankCorrelation c = result.Correlation;
        string interval = double.IsNaN(c.Rho)
            ? "ρ undefined"
            : string.Create(CultureInfo.InvariantCulture, $"ρ = {c.Rho:F2}, {c.Level:P0} CI [{c.Low:F2}, {c.High:F2}], n = {c.Count}");
        // Two lines, so that a long axis label never pushes the verdict out of the picture.
        plot.Title(TitleText.Wrap($"{claim.Metric.Replace('_', ' ')} vs {againstLabel ?? claim.Against} ({claim.Directions ?? "all"} directions)\n{interval}: {result.Verdict.ToString().ToLowerInvariant()}", 80), size: 13);
        return plot;
    }
}
