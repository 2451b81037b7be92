using LossLandscape.Topology.Ordering;

namespace LossLandscape.Topology.MergeTrees;

/// <summary>Options of <see cref="MergeTreeBuilder"/>; the defaults live here.</summary>
public sealed record MergeTreeOptions
{
    /// <summary>The defaults: NaN is an error.</summary>
    public static MergeTreeOptions Default { get; } = new();

    /// <summary>What a NaN value means; <see cref="NaNHandling.Throw"/> by default.</summary>
    public NaNHandling NaNHandling { get; init; } = NaNHandling.Throw;
}
