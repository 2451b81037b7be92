using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Benchmarks.MergeTrees;

/// <summary>Seeded grids for the merge-tree benchmarks.</summary>
internal static class BenchmarkGrids
{
    /// <summary>
    /// <c>random</c>: i.i.d. uniform values (the worst case: about N/9 minima with 8 neighbours);
    /// <c>smooth</c>: a sum of a few sinusoids plus a bowl (a handful of basins, like a trained model's landscape).
    /// </summary>
    public static Landscape Create(string kind, int size, int seed = 42)
    {
        var values = new double[size * size];
        var random = new Random(seed);
        if (kind == "random")
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = random.NextDouble();
            }
        }
        else
        {
            double[] phases = Enumerable.Range(0, 6).Select(_ => random.NextDouble() * 2 * Math.PI).ToArray();
            for (int i = 0; i < size; i++)
            {
                double x = (2.0 * i / (size - 1)) - 1;
                for (int j = 0; j < size; j++)
                {
                    double y = (2.0 * j / (size - 1)) - 1;
                    values[(i * size) + j] = (x * x) + (y * y)
                        + (0.3 * Math.Sin((7 * x) + phases[0]) * Math.Cos((5 * y) + phases[1]))
                        + (0.1 * Math.Sin((13 * x) + (11 * y) + phases[2]));
                }
            }
        }

        return Landscape.FromGrid(values, [size, size]);
    }
}
