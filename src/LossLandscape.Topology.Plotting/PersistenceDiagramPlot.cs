using LossLandscape.Topology.Persistence;
using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>A 0-dimensional persistence diagram: (birth, death) points above the diagonal; essential classes drawn at their maximum.</summary>
public static class PersistenceDiagramPlot
{
    /// <summary>Draws the diagram.</summary>
    public static Plot Create(PersistenceDiagram diagram, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        var finite = diagram.Pairs.Where(p => double.IsFinite(p.Death)).ToArray();
        var values = finite.SelectMany(p => new[] { p.Birth, p.Death })
            .Concat(diagram.Essential.SelectMany(e => new[] { e.Birth, e.Maximum }))
            .Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        double low = values.Min();
        double high = values.Max();
        double pad = Math.Max(1e-12, (high - low) * 0.05);

        var plot = new Plot();
        var diagonal = plot.Add.Line(low - pad, low - pad, high + pad, high + pad);
        diagonal.Color = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        if (finite.Length > 0)
        {
            var pairs = plot.Add.Markers(finite.Select(p => new Coordinates(p.Birth, p.Death)).ToArray(), MarkerShape.FilledCircle, 6, Colors.RoyalBlue);
            pairs.LegendText = $"pairs ({finite.Length})";
        }

        var essential = diagram.Essential.Where(e => double.IsFinite(e.Maximum)).Select(e => new Coordinates(e.Birth, e.Maximum)).ToArray();
        if (essential.Length > 0)
        {
            var marks = plot.Add.Markers(essential, MarkerShape.FilledTriangleUp, 9, Colors.Crimson);
            marks.LegendText = "essential (paired with max)";
        }

        plot.Axes.Bottom.Label.Text = "birth";
        plot.Axes.Left.Label.Text = "death";
        plot.Axes.SetLimits(low - pad, high + pad, low - pad, high + pad);
        plot.Title(title ?? "Persistence diagram");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
