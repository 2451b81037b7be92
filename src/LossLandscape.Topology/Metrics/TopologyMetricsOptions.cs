using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Metrics;

/// <summary>Options of <see cref="TopologyMetrics"/>; the defaults live here.</summary>
public sealed record TopologyMetricsOptions
{
    /// <summary>The defaults: essential classes paired with their maximum (TTK's diagrams, as in the paper).</summary>
    public static TopologyMetricsOptions Default { get; } = new();

    /// <summary>
    /// How the essential class enters average, total and maximum persistence and the entropy.
    /// Default <see cref="EssentialClassHandling.PairWithMaximum"/>: the paper's numbers come from TTK
    /// diagrams, which pair the global minimum with the global maximum.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="EssentialClassHandling"/>.</exception>
    public EssentialClassHandling EssentialClass
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(EssentialClass), value, "Unknown essential-class handling.");
    } = EssentialClassHandling.PairWithMaximum;

    /// <summary>
    /// Whether minima on the grid boundary count (<see cref="BoundaryMinimumHandling.Count"/>, the default, as in the
    /// paper) or are left out of the counts and persistence statistics (<see cref="BoundaryMinimumHandling.Exclude"/>).
    /// <see cref="TopologyMetrics.BoundaryMinimumCount"/> reports them either way.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="BoundaryMinimumHandling"/>.</exception>
    public BoundaryMinimumHandling BoundaryMinima
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(BoundaryMinima), value, "Unknown boundary-minimum handling.");
    } = BoundaryMinimumHandling.Count;
}
