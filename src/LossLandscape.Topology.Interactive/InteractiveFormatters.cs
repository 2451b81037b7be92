using System.Globalization;
using System.Net;
using System.Text;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Persistence;
using LossLandscape.Topology.Plotting;
using Microsoft.DotNet.Interactive.Formatting;
using ScottPlot;

namespace LossLandscape.Topology.Interactive;

/// <summary>
/// Registers HTML formatters so that a notebook shows a <see cref="Landscape"/> (2-D: heatmap), a
/// <see cref="MergeTree"/>, a <see cref="PersistenceDiagram"/> or a <see cref="TopologicalProfile"/> as a picture, and
/// <see cref="TopologyMetrics"/>, <see cref="PersistenceStatistics"/> and <see cref="BasinStatistics"/> as tables. Call <see cref="Register"/> once in a notebook, after referencing this package.
/// </summary>
public static class InteractiveFormatters
{
    private const string Html = "text/html";

    /// <summary>Picture size in pixels.</summary>
    public static (int Width, int Height) PictureSize { get; set; } = (640, 480);

    /// <summary>Registers the formatters (idempotent).</summary>
    public static void Register()
    {
        Formatter.Register<Landscape>(l => LandscapeHtml(l), Html);
        Formatter.Register<MergeTree>(t => Picture(MergeTreePlot.Create(t)), Html);
        Formatter.Register<PersistenceDiagram>(d => Picture(PersistenceDiagramPlot.Create(d)), Html);
        Formatter.Register<TopologyMetrics>(m => MetricsTable(m), Html);
        Formatter.Register<TopologicalProfile>(p => Picture(TopologicalProfilePlot.Create(p)), Html);
        Formatter.Register<PersistenceStatistics>(s => Table(
        [
            ("dimension", s.Dimension.ToString(CultureInfo.InvariantCulture)),
            ("pairs", s.PairCount.ToString(CultureInfo.InvariantCulture)),
            ("essential classes", s.EssentialClassCount.ToString(CultureInfo.InvariantCulture)),
            .. PersistenceRows(s.AveragePersistence, s.MaximumPersistence, s.TotalPersistence, s.PersistenceEntropy),
        ]), Html);
        Formatter.Register<BasinStatistics>(b => Table(
        [
            ("basins", b.BasinCount.ToString(CultureInfo.InvariantCulture)),
            ("SMAD", b.Smad.ToString("G6", CultureInfo.InvariantCulture)),
            ("SMAD, normalised", b.NormalizedSmad.ToString("G6", CultureInfo.InvariantCulture)),
            ("SMAD, weighted", b.WeightedSmad.ToString("G6", CultureInfo.InvariantCulture)),
            ("largest basin's share", b.LargestBasinFraction.ToString("G6", CultureInfo.InvariantCulture)),
        ]), Html);
    }

    /// <summary>The HTML of a landscape: a heatmap for 2-D grids, a one-line summary otherwise.</summary>
    public static string LandscapeHtml(Landscape landscape)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        return landscape.IsGrid && landscape.Dimension == 2
            ? Picture(LandscapeHeatmap.Create(landscape))
            : $"<pre>{WebUtility.HtmlEncode(landscape.ToString())}</pre>";
    }

    /// <summary>A plot as an inline PNG image.</summary>
    public static string Picture(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        string png = Convert.ToBase64String(PlotFiles.ToPng(plot, PictureSize.Width, PictureSize.Height));
        return $"<img src=\"data:image/png;base64,{png}\" width=\"{PictureSize.Width}\" height=\"{PictureSize.Height}\" />";
    }

    /// <summary>Metrics as an HTML table.</summary>
    public static string MetricsTable(TopologyMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        (string, string)[] rows =
        [
            ("vertices", metrics.VertexCount.ToString(CultureInfo.InvariantCulture)),
            ("minima", metrics.MinimumCount.ToString(CultureInfo.InvariantCulture)),
            ("saddles (distinct vertices)", metrics.SaddleCount.ToString(CultureInfo.InvariantCulture)),
            ("saddles (dying pairs)", metrics.SaddlePairCount.ToString(CultureInfo.InvariantCulture)),
            .. PersistenceRows(metrics.AveragePersistence, metrics.MaximumPersistence, metrics.TotalPersistence, metrics.PersistenceEntropy),
            ("essential class", metrics.EssentialClass.ToString()),
        ];
        return Table(rows);
    }

    private static (string, string)[] PersistenceRows(double average, double maximum, double total, double entropy) =>
    [
        ("average persistence", average.ToString("G6", CultureInfo.InvariantCulture)),
        ("maximum persistence", maximum.ToString("G6", CultureInfo.InvariantCulture)),
        ("total persistence", total.ToString("G6", CultureInfo.InvariantCulture)),
        ("persistence entropy", entropy.ToString("G6", CultureInfo.InvariantCulture)),
    ];

    private static string Table(IEnumerable<(string Name, string Value)> rows)
    {
        var html = new StringBuilder("<table>");
        foreach ((string name, string value) in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th style=\"text-align:left\">{WebUtility.HtmlEncode(name)}</th><td>{value}</td></tr>");
        }

        return html.Append("</table>").ToString();
    }
}
