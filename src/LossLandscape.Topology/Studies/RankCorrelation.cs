using MathNet.Numerics.Random;
using MathNet.Numerics.Statistics;

namespace LossLandscape.Topology.Studies;

/// <summary>
/// Spearman's rank correlation of two columns (MathNet's, ties ranked by their average) with a percentile bootstrap
/// confidence interval over the rows: rows are drawn with replacement, ρ is computed for each draw (draws in which
/// a column is constant are skipped), and the interval is the central <see cref="Level"/> share of those ρ.
/// </summary>
/// <param name="Rho">ρ over all rows (NaN when a column is constant or fewer than 3 rows have both values).</param>
/// <param name="Low">Lower end of the interval (NaN when ρ is).</param>
/// <param name="High">Upper end of the interval (NaN when ρ is).</param>
/// <param name="Count">Rows that have both values.</param>
/// <param name="Level">The interval's level (0.95 by default).</param>
public sealed record RankCorrelation(double Rho, double Low, double High, int Count, double Level)
{
    /// <summary>True when the interval lies wholly above or wholly below 0.</summary>
    public bool ExcludesZero => Low > 0 || High < 0;

    /// <summary>ρ of <paramref name="x"/> and <paramref name="y"/> with its bootstrap interval.</summary>
    /// <param name="x">First column; rows where either value is NaN are left out.</param>
    /// <param name="y">Second column, as long as <paramref name="x"/>.</param>
    /// <param name="resamples">Bootstrap draws (2,000 by default).</param>
    /// <param name="seed">Seed of the draws: the same seed gives the same interval.</param>
    /// <param name="level">Interval level in (0, 1).</param>
    /// <exception cref="ArgumentException">The columns differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="resamples"/> is below 1 or <paramref name="level"/> is not in (0, 1).</exception>
    public static RankCorrelation Of(IReadOnlyList<double> x, IReadOnlyList<double> y, int resamples = 2000, long seed = 0, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"The columns hold {x.Count} and {y.Count} values.", nameof(y));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The level must lie strictly between 0 and 1.");
        }

        int[] rows = Enumerable.Range(0, x.Count).Where(i => !double.IsNaN(x[i]) && !double.IsNaN(y[i])).ToArray();
        double[] xs = rows.Select(i => x[i]).ToArray();
        double[] ys = rows.Select(i => y[i]).ToArray();
        double rho = Spearman(xs, ys);
        if (double.IsNaN(rho))
        {
            return new RankCorrelation(double.NaN, double.NaN, double.NaN, rows.Length, level);
        }

        var random = new Xoshiro256StarStar((int)(seed ^ (seed >> 32)), threadSafe: false);
        var draws = new List<double>(resamples);
        var bx = new double[xs.Length];
        var by = new double[xs.Length];
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < xs.Length; i++)
            {
                int pick = random.Next(xs.Length);
                bx[i] = xs[pick];
                by[i] = ys[pick];
            }

            double r = Spearman(bx, by);
            if (!double.IsNaN(r))
            {
                draws.Add(r);
            }
        }

        if (draws.Count == 0)
        {
            return new RankCorrelation(rho, double.NaN, double.NaN, rows.Length, level);
        }

        double[] sorted = [.. draws.Order()];
        double tail = (1 - level) / 2;
        return new RankCorrelation(rho, SortedArrayStatistics.Quantile(sorted, tail), SortedArrayStatistics.Quantile(sorted, 1 - tail), rows.Length, level);
    }

    private static double Spearman(double[] x, double[] y)
    {
        if (x.Length < 3 || x.Distinct().Count() < 2 || y.Distinct().Count() < 2)
        {
            return double.NaN;
        }

        return Correlation.Spearman(x, y);
    }
}
