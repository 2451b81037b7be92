namespace LossLandscape.Topology.Examples;

/// <summary>Spearman's rank correlation, used by the examples to say whether a metric rises with a parameter.</summary>
public static class RankCorrelation
{
    /// <summary>Spearman's ρ (average ranks for ties); NaN when either series is constant.</summary>
    public static double Spearman(double[] x, double[] y)
    {
        double[] rx = Ranks(x);
        double[] ry = Ranks(y);
        double mx = rx.Average();
        double my = ry.Average();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }

        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>"rises", "falls" or "shows no clear trend" for a correlation (|ρ| ≥ 0.5 counts).</summary>
    public static string Verdict(double rho) => double.IsNaN(rho) ? "shows no trend (constant)" : rho >= 0.5 ? "rises" : rho <= -0.5 ? "falls" : "shows no clear trend";

    private static double[] Ranks(double[] values)
    {
        int[] order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            for (int k = start; k <= end; k++)
            {
                ranks[order[k]] = (start + end) / 2.0;
            }

            start = end + 1;
        }

        return ranks;
    }
}
