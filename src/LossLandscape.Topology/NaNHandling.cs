namespace LossLandscape.Topology;

/// <summary>What a NaN sample means when vertices are ordered.</summary>
public enum NaNHandling
{
    /// <summary>A NaN is an error: an <see cref="ArgumentException"/> names the first NaN's index.</summary>
    Throw,

    /// <summary>A NaN is treated as +∞, the highest value (a diverged loss), and reported as +∞.</summary>
    TreatAsPositiveInfinity,
}
