using LossLandscape.Topology.Persistence;
using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>
/// A persistence barcode: one horizontal bar per pair from birth to death, most persistent at the top; a class
/// that never dies runs to a marked right edge ("∞"). The same axes as <see cref="PersistenceDiagramPlot"/>.
/// </summary>
public static class PersistenceBarcodePlot
{
    /// <summary>Draws the barcode.</summary>
    public static Plot Create(PersistenceDiagram diagram, PersistenceDiagramPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        options ??= PersistenceDiagramPlotOptions.Default;
        var bars = diagram.Pairs.Select(p => (p.Birth, p.Death))
            .Concat(diagram.Essential.Select(e => (e.Birth, Death: double.PositiveInfinity)))
            .Where(b => double.IsFinite(b.Birth))
            .OrderByDescending(b => b.Death - b.Birth).ThenBy(b => b.Birth).ToArray();
        int total = bars.Length;
        bars = bars[..Math.Min(bars.Length, Math.Max(1, options.MaxBars))];
        ValueAxis axis = ValueAxis.For(bars.SelectMany(b => new[] { b.Birth, b.Death }), options.Scale, options.ClipQuantile);
        double[] ends = bars.SelectMany(b => new[] { axis.Map(b.Birth), double.IsFinite(b.Death) ? axis.Map(b.Death) : double.NaN }).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        double low = ends.Min();
        double high = ends.Max();
        double pad = Math.Max(1e-9, (high - low) * 0.05);
        double edge = high + (2 * pad);

        var plot = new Plot();
        for (int i = 0; i < bars.Length; i++)
        {
            double y = bars.Length - i;
            bool never = !double.IsFinite(bars[i].Death);
            var bar = plot.Add.Line(axis.Map(bars[i].Birth), y, never ? edge : axis.Map(bars[i].Death), y);
            bar.Color = never ? Colors.Crimson : Colors.RoyalBlue;
            bar.LineWidth = bars.Length > 200 ? 1 : 3;
        }

        plot.Add.VerticalLine(edge, 1, Colors.Crimson.WithAlpha(0.6), LinePattern.Dotted);
        var label = plot.Add.Text("∞", edge, bars.Length + 0.6);
        label.LabelFontColor = Colors.Crimson;
        label.LabelFontSize = 16;
        label.LabelAlignment = Alignment.MiddleRight;
        label.OffsetX = -4;
        axis.Apply(plot.Axes.Bottom, options.ValueLabel);
        plot.Axes.Left.Label.Text = bars.Length < total
            ? $"the {bars.Length:N0} most persistent of {total:N0} pairs"
            : $"pairs, most persistent at the top ({bars.Length})";
        plot.Axes.Left.TickLabelStyle.IsVisible = false;
        plot.Axes.SetLimits(low - pad, edge + pad, 0, bars.Length + 1);
        plot.Title(TitleText.Wrap(options.Title ?? "Persistence barcode", TitleText.LineLength(PlotFiles.DefaultWidth)));
        return plot;
    }
}
