using LossLandscape.Topology.Persistence;
using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>
/// A 0-dimensional persistence diagram: (birth, death) points above the diagonal. An essential class never dies:
/// it is drawn on a marked edge above every finite death ("∞"), not at the landscape's maximum, which would squash
/// the finite pairs. Axes linear, log or clipped (<see cref="PersistenceDiagramPlotOptions"/>).
/// </summary>
public static class PersistenceDiagramPlot
{
    /// <summary>Draws the diagram with a title (the other options at their defaults).</summary>
    public static Plot Create(PersistenceDiagram diagram, string? title) => Create(diagram, PersistenceDiagramPlotOptions.Default with { Title = title });

    /// <summary>Draws the diagram.</summary>
    public static Plot Create(PersistenceDiagram diagram, PersistenceDiagramPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        options ??= PersistenceDiagramPlotOptions.Default;
        var finite = diagram.Pairs.Where(p => double.IsFinite(p.Death)).ToArray();
        var infinite = diagram.Pairs.Where(p => !double.IsFinite(p.Death)).Select(p => p.Birth)
            .Concat(diagram.Essential.Select(e => e.Birth)).Where(double.IsFinite).ToArray();
        ValueAxis axis = ValueAxis.For(finite.SelectMany(p => new[] { p.Birth, p.Death }).Concat(infinite), options.Scale, options.ClipQuantile);

        double[] mapped = finite.SelectMany(p => new[] { axis.Map(p.Birth), axis.Map(p.Death) }).Concat(infinite.Select(axis.Map)).DefaultIfEmpty(0).ToArray();
        double low = mapped.Min();
        double high = mapped.Max();
        double pad = Math.Max(1e-9, (high - low) * 0.06);
        double edge = high + (2 * pad); // where "never dies" is drawn

        var plot = new Plot();
        var diagonal = plot.Add.Line(low - pad, low - pad, edge, edge);
        diagonal.Color = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        if (finite.Length > 0)
        {
            PersistencePair[] drawn = finite.Length > options.MaxPoints
                ? [.. finite.OrderByDescending(p => p.Death - p.Birth).ThenBy(p => p.Birth).Take(Math.Max(1, options.MaxPoints))]
                : finite;
            var pairs = plot.Add.Markers(drawn.Select(p => new Coordinates(axis.Map(p.Birth), axis.Map(p.Death))).ToArray(), MarkerShape.FilledCircle, 6, Colors.RoyalBlue.WithAlpha(0.75));
            pairs.LegendText = drawn.Length < finite.Length ? $"pairs (the {drawn.Length:N0} most persistent of {finite.Length:N0})" : $"pairs ({finite.Length})";
        }

        plot.Add.HorizontalLine(edge, 1, Colors.Crimson.WithAlpha(0.6), LinePattern.Dotted);
        var label = plot.Add.Text("∞: never dies", low - pad, edge);
        label.LabelFontColor = Colors.Crimson;
        label.LabelFontSize = 12;
        label.LabelAlignment = Alignment.LowerLeft;
        label.OffsetX = 4;
        if (infinite.Length > 0)
        {
            var marks = plot.Add.Markers(infinite.Select(b => new Coordinates(axis.Map(b), edge)).ToArray(), MarkerShape.FilledTriangleUp, 10, Colors.Crimson);
            marks.LegendText = $"never dies ({infinite.Length})";
        }

        axis.Apply(plot.Axes.Bottom, $"birth ({options.ValueLabel})");
        axis.Apply(plot.Axes.Left, $"death ({options.ValueLabel})");
        plot.Axes.SetLimits(low - pad, edge + pad, low - pad, edge + pad);
        plot.Title(TitleText.Wrap(options.Title ?? "Persistence diagram", TitleText.LineLength(PlotFiles.DefaultWidth)));
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
