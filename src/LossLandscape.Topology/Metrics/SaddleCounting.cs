namespace LossLandscape.Topology.Metrics;

/// <summary>How saddles are counted when k ≥ 3 components meet at one vertex (a multi-saddle).</summary>
public enum SaddleCounting
{
    /// <summary>Each saddle vertex counts once (the number of saddle nodes in the merge tree).</summary>
    DistinctVertices,

    /// <summary>
    /// Each component that dies counts once, so a multi-saddle counts k − 1 (the number of finite persistence
    /// pairs; TTK's count, which splits a multi-saddle into k − 1 pairs).
    /// </summary>
    DyingPairs,
}
