using LossLandscape.Topology.Metrics;
using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>
/// The topological landscape profile (Landscaper's <c>plots.topology_profile</c>): every merge-tree node's area,
/// nested in its parent's, filled by depth — the deepest basins darkest — so that the picture reads as a silhouette
/// of the landscape whose widths are basin sizes and whose heights are values.
/// </summary>
public static class TopologicalProfilePlot
{
    /// <summary>Draws the profile.</summary>
    /// <param name="profile">The profile (<see cref="TopologicalProfile.Of"/>).</param>
    /// <param name="title">The title; a default names the area count.</param>
    /// <param name="valueLabel">The value axis's label (the loss, by default).</param>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is null.</exception>
    public static Plot Create(TopologicalProfile profile, string? title = null, string valueLabel = "loss")
    {
        ArgumentNullException.ThrowIfNull(profile);
        var plot = new Plot();
        double[] finite = profile.Areas.SelectMany(a => a.Outline).Select(p => p.Y).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        double low = finite.Min(), high = finite.Max();
        double span = high > low ? high - low : 1;

        // Parents come after their children in the list: draw in reverse, so children lie on top of their parents.
        for (int i = profile.Areas.Length - 1; i >= 0; i--)
        {
            ProfileArea area = profile.Areas[i];
            Coordinates[] outline = area.Outline
                .Select(p => new Coordinates(p.X, double.IsFinite(p.Y) ? p.Y : p.Y > 0 ? high : low))
                .ToArray();
            if (outline.Length < 3)
            {
                var line = plot.Add.Line(outline[0], outline[^1]);
                line.Color = Colors.SteelBlue;
                continue;
            }

            double floor = outline.Min(p => p.Y);
            var polygon = plot.Add.Polygon(outline);
            polygon.FillColor = Colors.SteelBlue.WithAlpha(0.12 + (0.6 * (1 - ((floor - low) / span))));
            polygon.LineColor = Colors.SteelBlue.WithAlpha(0.8);
            polygon.LineWidth = 1;
        }

        plot.Axes.Left.Label.Text = valueLabel;
        plot.Axes.Bottom.Label.Text = "vertices (each area as wide as its subtree)";
        plot.Title(TitleText.Wrap(title ?? $"Topological landscape profile: {profile.Areas.Length:N0} areas", TitleText.LineLength(PlotFiles.DefaultWidth)));
        return plot;
    }
}
