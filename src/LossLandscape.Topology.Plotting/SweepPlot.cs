using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>
/// A topological metric and a machine-learning metric against a swept parameter on twin y axes (the paper's
/// Figs. 5 and 6): the topological one on the left, the other on the right.
/// </summary>
public static class SweepPlot
{
    /// <summary>Draws the chart.</summary>
    /// <exception cref="ArgumentException">The series lengths differ from the parameter values'.</exception>
    public static Plot Create(string parameter, double[] values, string leftName, double[] left, string rightName, double[] right, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (left.Length != values.Length || right.Length != values.Length)
        {
            throw new ArgumentException($"{values.Length} parameter values but {left.Length} and {right.Length} metric values.", nameof(values));
        }

        var plot = new Plot();
        var a = plot.Add.Scatter(values, left, Colors.RoyalBlue);
        a.LegendText = leftName;
        a.MarkerSize = 8;
        var b = plot.Add.Scatter(values, right, Colors.DarkOrange);
        b.LegendText = rightName;
        b.MarkerSize = 8;
        b.LinePattern = LinePattern.Dashed;
        b.Axes.YAxis = plot.Axes.Right;
        AxisTicks.IntegersWhenWhole(plot.Axes.Bottom, values);
        AxisTicks.IntegersWhenWhole(plot.Axes.Left, left);
        AxisTicks.IntegersWhenWhole(plot.Axes.Right, right);
        plot.Axes.Bottom.Label.Text = parameter;
        plot.Axes.Left.Label.Text = leftName;
        plot.Axes.Right.Label.Text = rightName;
        plot.Title(TitleText.Wrap(title ?? $"{leftName} and {rightName} against {parameter}", TitleText.LineLength(PlotFiles.DefaultWidth)));

        // Below the chart, never over a point.
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
