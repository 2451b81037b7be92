using LossLandscape.Topology.MergeTrees;
using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>A merge tree drawn by branches (see <see cref="MergeTreeLayout"/>): y is the loss, minima and saddles marked.</summary>
public static class MergeTreePlot
{
    /// <summary>Draws the tree.</summary>
    public static Plot Create(MergeTree tree, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        MergeTreeLayout layout = MergeTreeLayout.Of(tree);
        var nodes = tree.Nodes;
        var plot = new Plot();
        double top = nodes.Where(n => double.IsFinite(n.Value)).Select(n => n.Value).DefaultIfEmpty(0).Max();
        double Y(MergeTreeNode n) => double.IsFinite(n.Value) ? n.Value : top;

        // Each arc: up from the lower node to the upper node's height, then across to the upper node.
        foreach (MergeTreeArc arc in tree.Arcs)
        {
            MergeTreeNode lower = nodes[arc.Lower];
            MergeTreeNode upper = nodes[arc.Upper];
            double x0 = layout.X[arc.Lower];
            double x1 = layout.X[arc.Upper];
            var path = plot.Add.Scatter(new[] { x0, x0, x1 }, new[] { Y(lower), Y(upper), Y(upper) }, Colors.Black);
            path.MarkerSize = 0;
            path.LineWidth = 1.2f;
        }

        AddMarkers(plot, tree, layout, MergeTreeNodeKind.Minimum, MarkerShape.FilledCircle, Colors.RoyalBlue, "minima", Y);
        AddMarkers(plot, tree, layout, MergeTreeNodeKind.Saddle, MarkerShape.FilledDiamond, Colors.Crimson, "saddles", Y);
        AddMarkers(plot, tree, layout, MergeTreeNodeKind.Root, MarkerShape.FilledSquare, Colors.Black, "root", Y);
        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Bottom.Label.Text = "branch";
        plot.Title(title ?? $"Merge tree: {tree.MinimumCount} minima, {tree.SaddleCount} saddles");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static void AddMarkers(Plot plot, MergeTree tree, MergeTreeLayout layout, MergeTreeNodeKind kind, MarkerShape shape, Color color, string label, Func<MergeTreeNode, double> y)
    {
        var points = tree.Nodes.Select((n, i) => (n, i)).Where(p => p.n.Kind == kind)
            .Select(p => new Coordinates(layout.X[p.i], y(p.n))).ToArray();
        if (points.Length > 0)
        {
            var markers = plot.Add.Markers(points, shape, 7, color);
            markers.LegendText = label;
        }
    }
}
