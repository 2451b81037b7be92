using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Tests.Support;

/// <summary>Seeded random landscapes for property tests.</summary>
internal static class RandomLandscapes
{
    /// <summary>
    /// A grid of the given shape whose values are drawn from <paramref name="distinctValues"/> levels
    /// (few levels: many ties and plateaus) or continuous when <paramref name="distinctValues"/> is 0.
    /// </summary>
    public static Landscape Grid(Random random, int[] shape, int distinctValues)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = distinctValues > 0 ? random.Next(distinctValues) : random.NextDouble();
        }

        return Landscape.FromGrid(values, shape);
    }

    /// <summary>A random 2-D shape with sides in [1, <paramref name="maxSide"/>].</summary>
    public static int[] Shape2D(Random random, int maxSide) => [random.Next(1, maxSide + 1), random.Next(1, maxSide + 1)];
}
