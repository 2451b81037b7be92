using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Metrics;

/// <summary>
/// The numbers of one persistence diagram of any dimension (holes and voids as well as basins): pair count and
/// persistence statistics, with the conventions of <see cref="TopologyMetrics"/> (never NaN; +∞ persistences give +∞
/// totals and averages, and the entropy's limit). Essential classes count with the diagram's stored death, as
/// <see cref="TopologyMetrics"/> counts them by default; diagrams above dimension 0 of a grid have none.
/// </summary>
public sealed record PersistenceStatistics
{
    /// <summary>The diagram's homology dimension.</summary>
    public required int Dimension { get; init; }

    /// <summary>Finite pairs.</summary>
    public required int PairCount { get; init; }

    /// <summary>Essential classes.</summary>
    public required int EssentialClassCount { get; init; }

    /// <summary>Mean persistence over pairs and essential classes.</summary>
    public required double AveragePersistence { get; init; }

    /// <summary>Sum of persistences.</summary>
    public required double TotalPersistence { get; init; }

    /// <summary>Largest persistence (0 for an empty diagram).</summary>
    public required double MaximumPersistence { get; init; }

    /// <summary>Shannon entropy of the persistences' shares (<see cref="TopologyMetrics.PersistenceEntropy"/>).</summary>
    public required double PersistenceEntropy { get; init; }

    /// <summary>The statistics of <paramref name="diagram"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="diagram"/> is null.</exception>
    public static PersistenceStatistics Of(PersistenceDiagram diagram)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        TopologyMetrics metrics = TopologyMetrics.Of(diagram);
        return new PersistenceStatistics
        {
            Dimension = diagram.Dimension,
            PairCount = diagram.Pairs.Length,
            EssentialClassCount = diagram.Essential.Length,
            AveragePersistence = metrics.AveragePersistence,
            TotalPersistence = metrics.TotalPersistence,
            MaximumPersistence = metrics.MaximumPersistence,
            PersistenceEntropy = metrics.PersistenceEntropy,
        };
    }
}
