using System.Globalization;
using LossLandscape.Topology.Studies;
using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>A claim's data: every row's metric against the swept quantity, titled with ρ, its interval and the verdict.</summary>
public static class ClaimPlot
{
    /// <summary>Draws the claim's rows of <paramref name="table"/>.</summary>
    public static Plot Create(SweepTable table, ClaimResult result, string? againstLabel = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(result);
        Claim claim = result.Claim;
        SweepTable rows = claim.Directions is null ? table : table.Where("directions", claim.Directions);
        double[] x = rows.Column(claim.Against);
        double[] y = rows.Column(claim.Metric);
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(x, y, Colors.RoyalBlue);
        points.MarkerSize = 9;
        AxisTicks.IntegersWhenWhole(plot.Axes.Bottom, x);
        AxisTicks.IntegersWhenWhole(plot.Axes.Left, y);
        plot.Axes.Bottom.Label.Text = againstLabel ?? claim.Against;
        plot.Axes.Left.Label.Text = claim.Metric.Replace('_', ' ');
        RankCorrelation c = result.Correlation;
        string interval = double.IsNaN(c.Rho)
            ? "ρ undefined"
            : string.Create(CultureInfo.InvariantCulture, $"ρ = {c.Rho:F2}, {c.Level:P0} CI [{c.Low:F2}, {c.High:F2}], n = {c.Count}");
        // Two lines, so that a long axis label never pushes the verdict out of the picture.
        plot.Title($"{claim.Metric.Replace('_', ' ')} vs {againstLabel ?? claim.Against} ({claim.Directions ?? "all"} directions)\n{interval}: {result.Verdict.ToString().ToLowerInvariant()}", size: 13);
        return plot;
    }
}
