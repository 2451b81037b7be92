namespace LossLandscape.Topology.Studies;

/// <summary>
/// A claim of a paper put to a study's data: "<paramref name="Metric"/> rises (or falls) with <paramref name="Against"/>
/// along <paramref name="Directions"/> directions".
/// </summary>
/// <param name="Text">The claim as the paper states it (for reports).</param>
/// <param name="Metric">The numeric column the claim is about (e.g. <c>saddles</c>).</param>
/// <param name="Against">The numeric column it is related to (e.g. <c>beta</c>).</param>
/// <param name="Directions">The value of the <c>directions</c> column the claim is tested on (<c>random</c>, <c>hessian</c>), or null for every row.</param>
/// <param name="ExpectedSign">+1 when the claim says the two rise together, −1 when one falls as the other rises.</param>
public sealed record Claim(string Text, string Metric, string Against, string? Directions, int ExpectedSign)
{
    /// <summary>Tests the claim: Spearman's ρ with its bootstrap interval, and the verdict the interval allows.</summary>
    /// <param name="table">The study's rows.</param>
    /// <param name="options">Draws, seed and level of the bootstrap; <see cref="BootstrapOptions.Default"/> when null.</param>
    /// <param name="cluster">A numeric column whose equal values mark rows drawn together (see <see cref="RankCorrelation.Of"/>), or null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ExpectedSign"/> is not +1 or −1.</exception>
    public ClaimResult Test(SweepTable table, BootstrapOptions? options = null, string? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (ExpectedSign is not (1 or -1))
        {
            throw new ArgumentOutOfRangeException(nameof(ExpectedSign), ExpectedSign, "A claim expects the sign +1 or −1.");
        }

        SweepTable rows = Directions is null ? table : table.Where("directions", Directions);
        RankCorrelation correlation = RankCorrelation.Of(rows.Column(Against), rows.Column(Metric), options, groups: cluster is null ? null : rows.Column(cluster));
        return new ClaimResult(this, correlation, ClaimResult.VerdictOf(correlation, ExpectedSign));
    }
}

/// <summary>What a study's data say of a <see cref="Claim"/>.</summary>
/// <param name="Claim">The claim.</param>
/// <param name="Correlation">ρ between the claim's columns with its interval.</param>
/// <param name="Verdict">Supported or contradicted only when the interval excludes 0; inconclusive otherwise.</param>
public sealed record ClaimResult(Claim Claim, RankCorrelation Correlation, ClaimVerdict Verdict)
{
    /// <summary>The verdict rule: the interval must exclude 0, and then its side decides.</summary>
    public static ClaimVerdict VerdictOf(RankCorrelation correlation, int expectedSign)
    {
        ArgumentNullException.ThrowIfNull(correlation);
        if (!correlation.ExcludesZero)
        {
            return ClaimVerdict.Inconclusive;
        }

        return Math.Sign(correlation.Low > 0 ? 1 : -1) == expectedSign ? ClaimVerdict.Supported : ClaimVerdict.Contradicted;
    }
}

/// <summary>The verdict on a claim.</summary>
public enum ClaimVerdict
{
    /// <summary>The interval excludes 0 on the side the claim expects.</summary>
    Supported,

    /// <summary>The interval excludes 0 on the other side.</summary>
    Contradicted,

    /// <summary>The interval includes 0 (or ρ is undefined): the data cannot tell.</summary>
    Inconclusive,
}
