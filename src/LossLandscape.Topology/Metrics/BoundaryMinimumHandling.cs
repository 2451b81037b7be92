namespace LossLandscape.Topology.Metrics;

/// <summary>How minima on the boundary of a grid landscape enter <see cref="TopologyMetrics"/>.</summary>
public enum BoundaryMinimumHandling
{
    /// <summary>Counted like every other minimum (the paper's numbers).</summary>
    Count,

    /// <summary>Left out of minima, saddles and persistence statistics (the essential class stays).</summary>
    Exclude,
}
