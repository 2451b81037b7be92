namespace LossLandscape.Topology.Plotting;

/// <summary>How a value axis (loss, birth, death) is drawn.</summary>
public enum ValueScale
{
    /// <summary>Logarithmic when positive values span more than two decades (or, with values ≤ 0, when the largest rise above the minimum is over 100 times the median one); linear otherwise.</summary>
    Auto,

    /// <summary>Linear in the value.</summary>
    Linear,

    /// <summary>log10(value − min + ε), ε half the smallest rise above the minimum: the low, interesting part opened up.</summary>
    Log,

    /// <summary>Linear up to a quantile of the values; the rest drawn at that edge (as the paper's Fig. 1 clips outliers).</summary>
    Clipped,
}
