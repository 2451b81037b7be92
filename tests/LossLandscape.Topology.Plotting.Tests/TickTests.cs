using LossLandscape.Topology.Studies;

namespace LossLandscape.Topology.Plotting.Tests;

/// <summary>Counts get whole-number ticks (never 2.2, 2.4, …); measurements keep fractional ones.</summary>
public class TickTests
{
    [Test]
    public void CanTickCountsWithWholeNumbersOnly()
    {
        var table = new SweepTable();
        foreach ((double beta, double saddles, double error) in new[] { (1.0, 2.0, 0.01), (5.0, 2.0, 0.02), (10.0, 3.0, 0.05), (20.0, 3.0, 0.6) })
        {
            table = table.Add(new SweepRow(new Dictionary<string, string> { ["directions"] = "random" }, new Dictionary<string, double> { ["beta"] = beta, ["saddles"] = saddles, ["rel_error"] = error }));
        }

        var claim = new Claim("saddles rise with β", "saddles", "beta", "random", +1);
        ScottPlot.Plot plot = ClaimPlot.Create(table, claim.Test(table));
        PngAssert.HasSizeAndContent(PlotFiles.ToPng(plot, 600, 400), 600, 400);
        double[] left = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Position).ToArray();
        Assert.That(left, Is.Not.Empty);
        Assert.That(left.All(t => t == Math.Round(t)), Is.True, $"saddle ticks {string.Join(", ", left)}");

        ScottPlot.Plot sweep = SweepPlot.Create("beta", [1, 5, 10, 20], "saddles", [2, 2, 3, 3], "error", [0.01, 0.02, 0.05, 0.6]);
        PlotFiles.ToPng(sweep, 600, 400);
        Assert.That(sweep.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).All(t => t.Position == Math.Round(t.Position)), Is.True, "counts on the left");
        Assert.That(sweep.Axes.Right.TickGenerator.Ticks.Where(t => t.IsMajor).Any(t => t.Position != Math.Round(t.Position)), Is.True, "the error keeps fractional ticks");
    }
}
