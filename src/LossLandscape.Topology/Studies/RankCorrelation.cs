using MathNet.Numerics.Random;
using MathNet.Numerics.Statistics;

namespace LossLandscape.Topology.Studies;

/// <summary>
/// Spearman's rank correlation of two columns (MathNet's, ties ranked by their average) with a percentile bootstrap
/// confidence interval: rows (or, when groups are given, whole groups of rows) are drawn with replacement, ρ is
/// computed for each draw, and the interval is the central <see cref="Level"/> share of those ρ. A draw in which a
/// column is constant shows no association and counts as ρ = 0 (skipping such draws would keep only the draws that
/// happen to hold the rare differing rows, and overstate the evidence).
/// </summary>
/// <param name="Rho">ρ over all rows (NaN when a column is constant or fewer than 3 rows have both values).</param>
/// <param name="Low">Lower end of the interval (NaN when ρ is).</param>
/// <param name="High">Upper end of the interval (NaN when ρ is).</param>
/// <param name="Count">Rows that have both values.</param>
/// <param name="Level">The interval's level (0.95 by default).</param>
public sealed record RankCorrelation(double Rho, double Low, double High, int Count, double Level)
{
    /// <summary>
    /// True when the interval lies wholly above or wholly below 0. An end within 1e-9 of 0 counts as 0: ρ is a
    /// correlation of ranks, and a bootstrap quantile of 2e-17 is a draw of ρ = 0 plus rounding, not evidence.
    /// </summary>
    public bool ExcludesZero => Low > ZeroTolerance || High < -ZeroTolerance;

    private const double ZeroTolerance = 1e-9;

    /// <summary>ρ of <paramref name="x"/> and <paramref name="y"/> with its bootstrap interval.</summary>
    /// <param name="x">First column; rows where either value is NaN are left out.</param>
    /// <param name="y">Second column, as long as <paramref name="x"/>.</param>
    /// <param name="options">Draws, seed and level; <see cref="BootstrapOptions.Default"/> when null.</param>
    /// <param name="groups">
    /// A cluster label per row (e.g. the analysis a row came from): the bootstrap then draws whole clusters, so rows
    /// that are not independent (several direction seeds of one model) do not narrow the interval. Null: rows.
    /// </param>
    /// <exception cref="ArgumentException">The columns (or the groups) differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 1 resample, or a level not in (0, 1) (the argument named is <paramref name="options"/>).</exception>
    public static RankCorrelation Of(IReadOnlyList<double> x, IReadOnlyList<double> y, BootstrapOptions? options = null, IReadOnlyList<double>? groups = null)
    {
        options ??= BootstrapOptions.Default;
        int resamples = options.Resamples;
        double level = options.Level;
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"The columns hold {x.Count} and {y.Count} values.", nameof(y));
        }

        if (groups is not null && groups.Count != x.Count)
        {
            throw new ArgumentException($"{groups.Count} group labels for {x.Count} rows.", nameof(groups));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1, nameof(options));
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), level, "The level must lie strictly between 0 and 1.");
        }

        int[] rows = Enumerable.Range(0, x.Count).Where(i => !double.IsNaN(x[i]) && !double.IsNaN(y[i])).ToArray();
        double[] xs = rows.Select(i => x[i]).ToArray();
        double[] ys = rows.Select(i => y[i]).ToArray();
        double rho = Spearman(xs, ys);
        if (double.IsNaN(rho))
        {
            return new RankCorrelation(double.NaN, double.NaN, double.NaN, rows.Length, level);
        }

        // Clusters of row positions (one per row without groups); a draw concatenates randomly chosen clusters.
        int[][] clusters = groups is null
            ? [.. Enumerable.Range(0, xs.Length).Select(i => new[] { i })]
            : [.. Enumerable.Range(0, xs.Length).GroupBy(i => groups[rows[i]]).Select(g => g.ToArray())];
        var random = new Xoshiro256StarStar(options.Seed, threadSafe: false);
        var draws = new List<double>(resamples);
        var bx = new List<double>(xs.Length * 2);
        var by = new List<double>(xs.Length * 2);
        for (int b = 0; b < resamples; b++)
        {
            bx.Clear();
            by.Clear();
            for (int c = 0; c < clusters.Length; c++)
            {
                foreach (int i in clusters[random.Next(clusters.Length)])
                {
                    bx.Add(xs[i]);
                    by.Add(ys[i]);
                }
            }

            double r = Spearman([.. bx], [.. by]);
            draws.Add(double.IsNaN(r) ? 0 : r);
        }

        double[] sorted = [.. draws.Order()];
        double tail = (1 - level) / 2;
        double Clamp(double r) => Math.Clamp(r, -1, 1); // rounding puts some ρ a hair outside [−1, 1]
        return new RankCorrelation(Clamp(rho), Clamp(SortedArrayStatistics.Quantile(sorted, tail)), Clamp(SortedArrayStatistics.Quantile(sorted, 1 - tail)), rows.Length, level);
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
