using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Interactive;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using Microsoft.DotNet.Interactive.Formatting;

namespace LossLandscape.Topology.Plotting.Tests;

public class InteractiveFormattersTests
{
    [Test]
    public void CanFormatPicturesAndTablesForNotebooks()
    {
        InteractiveFormatters.Register();
        var landscape = Landscape.FromFunction(p => (p[0] * p[0]) + Math.Sin(4 * p[1]), LandscapeAxis.Linspace("a", -1, 1, 15), LandscapeAxis.Linspace("b", -1, 1, 15));
        MergeTree tree = new MergeTreeBuilder().Build(GridGraphBuilder.Full, landscape);

        string picture = landscape.ToDisplayString("text/html");
        Assert.That(picture, Does.StartWith("<img src=\"data:image/png;base64,"));
        byte[] png = Convert.FromBase64String(picture.Split("base64,")[1].Split('"')[0]);
        PngAssert.HasSizeAndContent(png, 640, 480);
        Assert.That(tree.ToDisplayString("text/html"), Does.StartWith("<img src=\"data:image/png;base64,"));
        Assert.That(tree.ToPersistenceDiagram().ToDisplayString("text/html"), Does.StartWith("<img src=\"data:image/png;base64,"));
        string table = TopologyMetrics.Of(tree).ToDisplayString("text/html");
        Assert.That(table, Does.StartWith("<table>").And.Contain("<th style=\"text-align:left\">minima</th><td>" + tree.MinimumCount + "</td>"));
        Assert.That(Landscape.FromGrid([1.0, 2], [2]).ToDisplayString("text/html"), Does.Contain("Grid landscape 2"));

        NeighborGraph graph = GridGraphBuilder.Full.Build(landscape);
        Assert.That(TopologicalProfile.Of(tree, graph).ToDisplayString("text/html"), Does.StartWith("<img src=\"data:image/png;base64,"));
        Assert.That(PersistenceStatistics.Of(tree.ToPersistenceDiagram()).ToDisplayString("text/html"),
            Does.StartWith("<table>").And.Contain("<th style=\"text-align:left\">pairs</th><td>" + tree.ToPersistenceDiagram().Pairs.Length + "</td>"));
        BasinStatistics basins = LandscapeBasins.Of(tree, graph).Statistics();
        Assert.That(basins.ToDisplayString("text/html"), Does.Contain("<th style=\"text-align:left\">basins</th><td>" + tree.MinimumCount + "</td>"));
    }
}
