using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>Ticks that suit the data: counts (minima, saddles, seeds) get whole-number ticks, never 2.2, 2.4, ….</summary>
internal static class AxisTicks
{
    /// <summary>Whole-number ticks on <paramref name="axis"/> when every finite value is a whole number.</summary>
    public static void IntegersWhenWhole(IAxis axis, IEnumerable<double> values)
    {
        if (values.Where(double.IsFinite).All(v => v == Math.Round(v)))
        {
            axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }
    }
}
