using ScottPlot;
using LossLandscape.Topology.Plotting;

namespace PinnConvection;

/// <summary>A measure against the number of Hessian directions, one line per sample count, with its 95% intervals as error bars.</summary>
internal static class SubspacePlot
{
    public static Plot Create(IReadOnlyList<SubspaceSummary> rows, string measure, double beta)
    {
        var plot = new Plot();
        Color[] palette = [Colors.RoyalBlue, Colors.DarkOrange, Colors.SeaGreen, Colors.Crimson, Colors.Purple, Colors.SaddleBrown];
        int line = 0;
        foreach (IGrouping<int, SubspaceSummary> group in rows.GroupBy(r => r.Samples).OrderBy(g => g.Key))
        {
            SubspaceSummary[] points = [.. group.OrderBy(r => r.Dimensions)];
            double[] x = points.Select(p => p.Dimensions + ((line - 1.5) * 0.06)).ToArray(); // a small shift keeps the bars apart
            double[] y = points.Select(p => p.Mean).ToArray();
            double[] error = points.Select(p => double.IsFinite(p.High - p.Mean) ? p.High - p.Mean : 0).ToArray();
            Color color = palette[line % palette.Length];
            var scatter = plot.Add.Scatter(x, y, color);
            scatter.LegendText = $"N = {group.Key}";
            scatter.MarkerSize = 6;
            var bars = plot.Add.ErrorBar(x, y, error);
            bars.Color = color;
            line++;
        }

        double[] ticks = rows.Select(r => (double)r.Dimensions).Distinct().Order().ToArray();
        plot.Axes.Bottom.SetTicks(ticks, ticks.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Bottom.Label.Text = "k (top Hessian eigenvectors spanning the subspace)";
        plot.Axes.Left.Label.Text = measure.Replace('_', ' ');
        plot.Title($"{measure.Replace('_', ' ')} against k, β = {beta}\n(mean and 95% interval over designs)");
        plot.ShowLegend(Edge.Bottom); // below the chart, never over a point
        return plot;
    }
}
