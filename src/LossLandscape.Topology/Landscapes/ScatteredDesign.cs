using MathNet.Numerics.Random;

namespace LossLandscape.Topology.Landscapes;

/// <summary>
/// Point sets for scattered landscapes of k-dimensional subspaces, so that a 5-D landscape costs a few thousand
/// evaluations instead of a full grid. Each returns one row per point and one column per dimension, ready for
/// <c>LandscapeSampler.AtPoints</c>. All are seeded and reproducible.
/// </summary>
public static class ScatteredDesign
{
    private static readonly int[] Primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97];

    /// <summary>Independent uniform points in the box.</summary>
    /// <inheritdoc cref="Halton" />
    public static double[,] Uniform(int count, IReadOnlyList<(double Min, double Max)> box, int seed)
    {
        Check(count, box);
        var random = Seeded(seed);
        var points = new double[count, box.Count];
        for (int i = 0; i < count; i++)
        {
            for (int d = 0; d < box.Count; d++)
            {
                points[i, d] = Scale(random.NextDouble(), box[d]);
            }
        }

        return points;
    }

    /// <summary>
    /// A Latin hypercube: along every axis each of the <paramref name="count"/> equal slices holds exactly one point,
    /// placed uniformly within it; slices are paired across axes by independent random permutations.
    /// </summary>
    /// <inheritdoc cref="Halton" />
    public static double[,] LatinHypercube(int count, IReadOnlyList<(double Min, double Max)> box, int seed)
    {
        Check(count, box);
        var random = Seeded(seed);
        var points = new double[count, box.Count];
        for (int d = 0; d < box.Count; d++)
        {
            int[] slices = Enumerable.Range(0, count).ToArray();
            random.Shuffle(slices);
            for (int i = 0; i < count; i++)
            {
                points[i, d] = Scale((slices[i] + random.NextDouble()) / count, box[d]);
            }
        }

        return points;
    }

    /// <summary>
    /// The Halton low-discrepancy sequence (radical inverses in the first k primes), starting at index 1. With a
    /// seed (any value, 0 included), a random shift modulo 1 per axis is added (a Cranley–Patterson rotation), which
    /// keeps the low discrepancy and makes independent replicates; without one (null) the plain sequence.
    /// </summary>
    /// <param name="count">Number of points, at least 1.</param>
    /// <param name="box">Range per dimension (min &lt; max, finite), at most 25 dimensions for Halton.</param>
    /// <param name="seed">Seed of the generator (MathNet's xoshiro256**); for Halton, of the shift, or null for none.</param>
    /// <exception cref="ArgumentException">No dimension, a bad range, or too many dimensions.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public static double[,] Halton(int count, IReadOnlyList<(double Min, double Max)> box, int? seed = null)
    {
        Check(count, box);
        if (box.Count > Primes.Length)
        {
            throw new ArgumentException($"Halton points are offered up to {Primes.Length} dimensions; got {box.Count}.", nameof(box));
        }

        var random = seed is int s ? Seeded(s) : null;
        double[] shift = Enumerable.Range(0, box.Count).Select(_ => random?.NextDouble() ?? 0).ToArray();
        var points = new double[count, box.Count];
        for (int i = 0; i < count; i++)
        {
            for (int d = 0; d < box.Count; d++)
            {
                double u = RadicalInverse(i + 1, Primes[d]) + shift[d];
                points[i, d] = Scale(u >= 1 ? u - 1 : u, box[d]);
            }
        }

        return points;
    }

    /// <summary>The same range on every one of <paramref name="dimension"/> axes.</summary>
    public static (double Min, double Max)[] Cube(int dimension, double min, double max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        return Enumerable.Repeat((min, max), dimension).ToArray();
    }

    private static double RadicalInverse(long index, int b)
    {
        double result = 0;
        double f = 1.0 / b;
        while (index > 0)
        {
            result += f * (index % b);
            index /= b;
            f /= b;
        }

        return result;
    }

    private static Xoshiro256StarStar Seeded(int seed) => new(seed, threadSafe: false);

    private static double Scale(double u, (double Min, double Max) range) => range.Min + (u * (range.Max - range.Min));

    private static void Check(int count, IReadOnlyList<(double Min, double Max)> box)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(box);
        if (box.Count == 0)
        {
            throw new ArgumentException("At least one dimension is needed.", nameof(box));
        }

        for (int d = 0; d < box.Count; d++)
        {
            if (!double.IsFinite(box[d].Min) || !double.IsFinite(box[d].Max) || box[d].Min >= box[d].Max)
            {
                throw new ArgumentException($"Range {d} [{box[d].Min}, {box[d].Max}] must be finite with min < max.", nameof(box));
            }
        }
    }
}
