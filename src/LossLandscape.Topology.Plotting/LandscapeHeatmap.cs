using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>How the colours of a landscape heatmap map to values.</summary>
public enum ColorScale
{
    /// <summary>Colours linear in the value.</summary>
    Linear,

    /// <summary>Colours linear in log10(value − min + ε·range), which brings out structure near the minimum.</summary>
    Log,
}

/// <summary>Options of <see cref="LandscapeHeatmap"/>; the defaults live here.</summary>
public sealed record LandscapeHeatmapOptions
{
    /// <summary>The defaults.</summary>
    public static LandscapeHeatmapOptions Default { get; } = new();

    /// <summary>Title; none by default.</summary>
    public string? Title { get; init; }

    /// <summary>Colour scale; linear by default.</summary>
    public ColorScale Scale { get; init; } = ColorScale.Linear;

    /// <summary>
    /// Values above this quantile (0–1) are clipped to it, to "zoom in" on the low part of the landscape as in the
    /// paper's Fig. 1; null (no clipping) by default.
    /// </summary>
    public double? ClipQuantile { get; init; }

    /// <summary>Number of contour lines; 12 by default, 0 for none.</summary>
    public int ContourCount { get; init; } = 12;

    /// <summary>A merge tree whose minima (○) and saddles (×) are marked on the map; none by default.</summary>
    public MergeTree? CriticalPoints { get; init; }

    /// <summary>
    /// Grids wider than this many samples on a side are drawn from blocks whose colour is the block's minimum
    /// (a pixel cannot show more, and the minimum keeps every basin visible); 1,024 by default.
    /// </summary>
    public int MaxPixels { get; init; } = 1024;

    /// <summary>Mark at most this many minima and as many saddles (the most persistent pairs'); 500 by default.</summary>
    public int MaxCriticalPoints { get; init; } = 500;

    /// <summary>Mark the lowest sample with a star (so the minimum reads as a point, not as one dark pixel); true by default.</summary>
    public bool MarkMinimum { get; init; } = true;

    /// <summary>What the colours show, on the colour bar ("loss" by default; "u(x, t)", "accuracy", …).</summary>
    public string ValueLabel { get; init; } = "loss";

    /// <summary>Horizontal axis title; the first axis's name by default.</summary>
    public string? XLabel { get; init; }

    /// <summary>Vertical axis title; the second axis's name by default.</summary>
    public string? YLabel { get; init; }

    /// <summary>
    /// Fixed colour range (in values, before any log), so that several maps (predicted and exact u, say) share
    /// one scale; by default each map spans its own values.
    /// </summary>
    public (double Low, double High)? ColorRange { get; init; }
}

/// <summary>A 2-D grid landscape as a heatmap with contour lines (x = first axis, y = second axis).</summary>
public static class LandscapeHeatmap
{
    private const int ContourSamples = 200;

    /// <summary>Draws the heatmap.</summary>
    /// <exception cref="ArgumentException">The landscape is not a 2-D grid, or has no finite value.</exception>
    public static Plot Create(Landscape landscape, LandscapeHeatmapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        options ??= LandscapeHeatmapOptions.Default;
        if (!landscape.IsGrid || landscape.Dimension != 2)
        {
            throw new ArgumentException($"A heatmap needs a 2-D grid landscape; got {landscape}.", nameof(landscape));
        }

        int nx = landscape.Shape[0];
        int ny = landscape.Shape[1];
        double[] shown = DisplayValues(landscape.Values, options);
        (double[,] data, Coordinates3d[,] points) = Pixels(landscape, shown, options.MaxPixels);

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(data);
        heatmap.FlipVertically = true; // row 0 (the first α₂) at the bottom
        double dx = nx > 1 ? (landscape.Axes[0][nx - 1] - landscape.Axes[0][0]) / (nx - 1) / 2 : 0.5;
        double dy = ny > 1 ? (landscape.Axes[1][ny - 1] - landscape.Axes[1][0]) / (ny - 1) / 2 : 0.5;
        heatmap.Extent = new CoordinateRect(landscape.Axes[0][0] - dx, landscape.Axes[0][nx - 1] + dx, landscape.Axes[1][0] - dy, landscape.Axes[1][ny - 1] + dy);
        if (options.ColorRange is { } range && options.Scale == ColorScale.Linear)
        {
            heatmap.ManualRange = new ScottPlot.Range(range.Low, range.High);
        }

        var bar = plot.Add.ColorBar(heatmap);
        if (options.Scale == ColorScale.Log)
        {
            // Colours in log10(value − min + ε); the bar reads in decades of value − min.
            bar.Label = $"{options.ValueLabel} − min (log)";
            bar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true, LabelFormatter = y => y == 0 ? "1" : $"1e{y:0}" };
        }
        else
        {
            bar.Label = options.ClipQuantile is { } q ? $"{options.ValueLabel} (clipped at the {q:P0} quantile)" : options.ValueLabel;
        }
        if (options.ContourCount > 0 && data.GetLength(0) > 1 && data.GetLength(1) > 1)
        {
            // Contour lines from at most 200 × 200 blocks: lines cannot carry more detail in a picture, and
            // tracing them through a million pixels takes minutes.
            Coordinates3d[,] contourPoints = Math.Max(nx, ny) > ContourSamples ? Pixels(landscape, shown, ContourSamples).Points : points;
            var contours = plot.Add.ContourLines(contourPoints, options.ContourCount);
            contours.LineColor = Colors.White.WithAlpha(0.8);
            contours.LabelStyle.IsVisible = false;
        }

        if (options.CriticalPoints is { } tree)
        {
            MarkCriticalPoints(plot, landscape, tree, Math.Max(nx, ny), options.MaxCriticalPoints);
        }

        if (options.MarkMinimum)
        {
            int lowest = -1;
            for (int v = 0; v < landscape.Count; v++)
            {
                if (!double.IsNaN(landscape.Values[v]) && (lowest < 0 || landscape.Values[v] < landscape.Values[lowest]))
                {
                    lowest = v;
                }
            }

            if (lowest >= 0)
            {
                double[] c = landscape.GetCoordinates(lowest);
                var star = plot.Add.Marker(c[0], c[1], MarkerShape.FilledDiamond, 11, Colors.Gold);
                star.MarkerLineColor = Colors.Black;
                star.MarkerLineWidth = 1;
                star.LegendText = $"lowest ({landscape.Values[lowest]:G4})";
            }
        }

        plot.Axes.Bottom.Label.Text = options.XLabel ?? landscape.Axes[0].Name;
        plot.Axes.Left.Label.Text = options.YLabel ?? landscape.Axes[1].Name;
        if (options.Title is not null)
        {
            plot.Title(TitleText.Wrap(options.Title, TitleText.LineLength(PlotFiles.DefaultWidth)));
        }

        plot.Axes.Margins(0, 0);

        // Below the map, never over it (and none without entries: an empty legend panel blanks the whole picture).
        if (plot.GetPlottables().OfType<IHasLegendText>().Any(p => !string.IsNullOrEmpty(p.LegendText)))
        {
            plot.ShowLegend(Edge.Bottom);
        }
        return plot;
    }

    /// <summary>The values as coloured: clipped and/or log-scaled; non-finite values become the top of the range.</summary>
    internal static double[] DisplayValues(ReadOnlySpan<double> values, LandscapeHeatmapOptions options)
    {
        double low = double.PositiveInfinity;
        double top = double.NegativeInfinity;
        int count = 0;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                low = Math.Min(low, v);
                top = Math.Max(top, v);
                count++;
            }
        }

        if (count == 0)
        {
            throw new ArgumentException("The landscape has no finite value to draw.", nameof(values));
        }

        double high = top;
        if (options.ClipQuantile is { } q)
        {
            double[] finite = values.ToArray().Where(double.IsFinite).ToArray();
            int rank = (int)Math.Clamp(Math.Round(q * (finite.Length - 1)), 0, finite.Length - 1);
            Array.Sort(finite);
            high = finite[rank];
        }

        // ε as on every log axis here (ValueAxis.Epsilon): the minimum one step below the next value, never −∞, and the
        // low basins keep their own colours however large the rest of the range is.
        double floor = ValueAxis.Epsilon(values, low, top);
        var shown = new double[values.Length];
        for (int i = 0; i < shown.Length; i++)
        {
            double v = double.IsFinite(values[i]) ? Math.Min(values[i], high) : high;
            shown[i] = options.Scale == ColorScale.Log ? Math.Log10(v - low + floor) : v;
        }

        return shown;
    }

    /// <summary>
    /// The picture's grid: every sample, or for a grid wider than <paramref name="maxPixels"/> on a side, blocks of
    /// s × s samples drawn as their minimum, at the mean coordinate of the block.
    /// </summary>
    internal static (double[,] Data, Coordinates3d[,] Points) Pixels(Landscape landscape, double[] shown, int maxPixels)
    {
        int nx = landscape.Shape[0];
        int ny = landscape.Shape[1];
        int s = Math.Max(1, (int)Math.Ceiling(Math.Max(nx, ny) / (double)Math.Max(1, maxPixels)));
        int px = (nx + s - 1) / s;
        int py = (ny + s - 1) / s;
        var data = new double[py, px];
        var points = new Coordinates3d[py, px];
        for (int bi = 0; bi < px; bi++)
        {
            int i0 = bi * s;
            int i1 = Math.Min(nx, i0 + s);
            double x = (landscape.Axes[0][i0] + landscape.Axes[0][i1 - 1]) / 2;
            for (int bj = 0; bj < py; bj++)
            {
                int j0 = bj * s;
                int j1 = Math.Min(ny, j0 + s);
                double v = double.PositiveInfinity;
                for (int i = i0; i < i1; i++)
                {
                    for (int j = j0; j < j1; j++)
                    {
                        v = Math.Min(v, shown[(i * ny) + j]);
                    }
                }

                data[bj, bi] = v;
                points[bj, bi] = new Coordinates3d(x, (landscape.Axes[1][j0] + landscape.Axes[1][j1 - 1]) / 2, v);
            }
        }

        return (data, points);
    }

    private static void MarkCriticalPoints(Plot plot, Landscape landscape, MergeTree tree, int gridSize, int most)
    {
        // The most persistent pairs' minima and saddles first, so a capped map keeps the ones that matter.
        MergeTreeBranch[] ranked = [.. tree.Branches.OrderByDescending(b => b.Persistence).ThenBy(b => b.Id)];
        int totalMinima = tree.Nodes.Count(n => n.Kind == MergeTreeNodeKind.Minimum);
        int totalSaddles = tree.Nodes.Count(n => n.Kind == MergeTreeNodeKind.Saddle);
        int[] minima = [.. ranked.Select(b => b.Minimum).Take(Math.Max(0, most))];
        int[] saddles = [.. ranked.Where(b => !b.IsEssential).Select(b => b.Top).Distinct().Take(Math.Max(0, most))];
        foreach ((MergeTreeNodeKind kind, MarkerShape shape, Color color, int[] chosen, int total) in new[]
        {
            (MergeTreeNodeKind.Minimum, MarkerShape.OpenCircle, Colors.Cyan, minima, totalMinima),
            (MergeTreeNodeKind.Saddle, MarkerShape.Eks, Colors.Red, saddles, totalSaddles),
        })
        {
            var coordinates = chosen
                .Select(n => landscape.GetCoordinates(tree.Nodes[n].Vertex))
                .Select(c => new Coordinates(c[0], c[1])).ToArray();
            if (coordinates.Length == 0)
            {
                continue;
            }

            // Legible at any grid size: markers a little smaller on fine grids, never below 5 px.
            var markers = plot.Add.Markers(coordinates, shape, gridSize > 200 ? 5 : 8, color);
            string name = kind == MergeTreeNodeKind.Minimum ? "minima" : "saddles";
            markers.LegendText = chosen.Length < total ? $"{name} (the {chosen.Length:N0} most persistent of {total:N0})" : name;
        }
    }
}
