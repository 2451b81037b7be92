using System.Globalization;
using LossLandscape.Topology.MergeTrees;
using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>
/// A merge tree drawn as a tree (see <see cref="MergeTreeLayout"/>): each branch a vertical line from its minimum
/// up to its saddle, joined to its parent there; the essential branch is the trunk up to the root. No horizontal
/// axis (positions carry no value); the value axis is linear, log or clipped (<see cref="MergeTreePlotOptions"/>).
/// </summary>
public static class MergeTreePlot
{
    /// <summary>Draws the tree with a title (the other options at their defaults).</summary>
    public static Plot Create(MergeTree tree, string? title) => Create(tree, MergeTreePlotOptions.Default with { Title = title });

    /// <summary>Draws the tree.</summary>
    public static Plot Create(MergeTree tree, MergeTreePlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        options ??= MergeTreePlotOptions.Default;
        var nodes = tree.Nodes;
        var branches = tree.Branches;
        MergeTreeBranch[] shown = [.. branches.OrderByDescending(b => b.Persistence).ThenBy(b => b.Id).Take(Math.Max(1, options.MaxBranches))];
        var keep = new bool[branches.Length];
        foreach (MergeTreeBranch b in shown)
        {
            keep[b.Id] = true;
        }

        MergeTreeLayout layout = MergeTreeLayout.Of(tree, shown.Length == branches.Length ? null : keep);
        int[] drawnNodes = [.. shown.SelectMany(b => new[] { b.Minimum, b.Top }).Distinct()];
        ValueAxis axis = ValueAxis.For(drawnNodes.Select(i => nodes[i].Value), options.Scale, options.ClipQuantile);
        var plot = new Plot();

        // Persistence → colour: log-spaced over the finite persistences, so small and large branches both read.
        double[] persistence = branches.Select(b => b.Persistence).Where(p => double.IsFinite(p) && p > 0).Order().ToArray();
        double pLow = persistence.Length > 0 ? Math.Log10(persistence[0]) : 0;
        double pHigh = persistence.Length > 0 ? Math.Log10(persistence[^1]) : 1;
        var colormap = new ScottPlot.Colormaps.Viridis();
        Color ColorOf(MergeTreeBranch b)
        {
            if (!options.ColorByPersistence)
            {
                return Colors.Black;
            }

            double p = b.Persistence;
            double f = !double.IsFinite(p) || pHigh <= pLow ? 1 : p <= 0 ? 0 : Math.Clamp((Math.Log10(p) - pLow) / (pHigh - pLow), 0, 1);
            return colormap.GetColor(0.1 + (0.75 * f));
        }

        foreach (MergeTreeBranch b in shown.Reverse())
        {
            double x = layout.BranchX[b.Id];
            double bottom = axis.Map(b.Birth);
            double top = axis.Map(nodes[b.Top].Value);
            Color color = ColorOf(b);
            double[] xs = b.IsEssential ? [x, x] : [x, x, layout.BranchX[b.Parent]];
            double[] ys = b.IsEssential ? [bottom, top] : [bottom, top, top];
            var line = plot.Add.Scatter(xs, ys, color);
            line.MarkerSize = 0;
            line.LineWidth = b.IsEssential ? 2.5f : 1.6f;
        }

        AddMarkers(plot, tree, layout, axis, drawnNodes, MergeTreeNodeKind.Minimum, MarkerShape.FilledCircle, Colors.RoyalBlue, "minima");
        AddMarkers(plot, tree, layout, axis, drawnNodes, MergeTreeNodeKind.Saddle, MarkerShape.FilledDiamond, Colors.Crimson, "saddles");
        AddMarkers(plot, tree, layout, axis, drawnNodes, MergeTreeNodeKind.Root, MarkerShape.FilledSquare, Colors.Black, "root");

        foreach ((MergeTreeBranch b, int rank) in shown.Take(Math.Max(0, options.LabeledMinima)).Select((b, i) => (b, i + 1)))
        {
            var text = plot.Add.Text($"m{rank} ({b.Birth.ToString("G3", CultureInfo.InvariantCulture)})", layout.BranchX[b.Id], axis.Map(b.Birth));
            text.LabelFontSize = 11;
            text.LabelFontColor = Colors.Black;
            text.LabelAlignment = Alignment.UpperCenter;
            text.OffsetY = 6;
        }

        axis.Apply(plot.Axes.Left, options.ValueLabel);
        plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.MinorTickStyle.Length = 0;
        plot.Axes.Bottom.Label.Text = options.ColorByPersistence ? "branches (colour: persistence, light = most persistent)" : "branches";
        double width = shown.Select(b => layout.BranchX[b.Id]).DefaultIfEmpty(0).Max();
        double low = drawnNodes.Select(i => axis.Map(nodes[i].Value)).DefaultIfEmpty(0).Min();
        double high = drawnNodes.Select(i => axis.Map(nodes[i].Value)).DefaultIfEmpty(1).Max();
        double pad = Math.Max((high - low) * 0.08, 1e-9);
        plot.Axes.SetLimits(-0.6, width + 0.6, low - pad, high + (pad / 2));
        string title = options.Title ?? $"Merge tree: {tree.MinimumCount} minima, {tree.SaddleCount} saddles";
        if (shown.Length < branches.Length)
        {
            title += string.Create(CultureInfo.InvariantCulture, $" (the {shown.Length:N0} most persistent of {branches.Length:N0} branches)");
        }

        plot.Title(TitleText.Wrap(title, TitleText.LineLength(PlotFiles.DefaultWidth)));
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static void AddMarkers(Plot plot, MergeTree tree, MergeTreeLayout layout, ValueAxis axis, int[] drawn, MergeTreeNodeKind kind, MarkerShape shape, Color color, string label)
    {
        var points = drawn.Where(i => tree.Nodes[i].Kind == kind)
            .Select(i => new Coordinates(layout.X[i], axis.Map(tree.Nodes[i].Value))).ToArray();
        if (points.Length > 0)
        {
            var markers = plot.Add.Markers(points, shape, 7, color);
            markers.LegendText = label;
        }
    }
}
