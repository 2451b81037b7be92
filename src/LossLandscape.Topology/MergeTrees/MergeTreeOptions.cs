namespace LossLandscape.Topology.MergeTrees;

/// <summary>Options of <see cref="MergeTreeBuilder"/>; the defaults live here.</summary>
public sealed record MergeTreeOptions
{
    /// <summary>The defaults: NaN is an error.</summary>
    public static MergeTreeOptions Default { get; } = new();

    /// <summary>What a NaN value means; <see cref="NaNHandling.Throw"/> by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Topology.NaNHandling"/>.</exception>
    public NaNHandling NaNHandling
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(NaNHandling), value, "Unknown NaN handling.");
    } = NaNHandling.Throw;
}
