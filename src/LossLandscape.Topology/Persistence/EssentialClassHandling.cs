namespace LossLandscape.Topology.Persistence;

/// <summary>How the essential class (the global minimum's component, which never dies) enters a summary.</summary>
public enum EssentialClassHandling
{
    /// <summary>
    /// Paired with the maximum of its connected part, as TTK's persistence diagram does. The paper computed its
    /// diagrams with TTK, so this reproduces the paper's averages; it is the default of <see cref="Metrics.TopologyMetricsOptions"/>.
    /// </summary>
    PairWithMaximum,

    /// <summary>Left out: only finite pairs count.</summary>
    Exclude,
}
