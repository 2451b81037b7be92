namespace LossLandscape.Topology.Studies;

/// <summary>Options of the percentile bootstrap behind <see cref="RankCorrelation"/> and <see cref="Claim.Test"/>; the defaults live here.</summary>
public sealed record BootstrapOptions
{
    /// <summary>The defaults: 2,000 draws, seed 0, a 95% interval.</summary>
    public static BootstrapOptions Default { get; } = new();

    /// <summary>Bootstrap draws (at least 1); 2,000 by default.</summary>
    public int Resamples { get; init; } = 2000;

    /// <summary>Seed of the draws: the same seed gives the same interval.</summary>
    public int Seed { get; init; }

    /// <summary>The interval's level, strictly between 0 and 1; 0.95 by default.</summary>
    public double Level { get; init; } = 0.95;
}
