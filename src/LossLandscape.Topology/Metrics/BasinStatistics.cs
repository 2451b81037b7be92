namespace LossLandscape.Topology.Metrics;

/// <summary>The numbers of a landscape's basins (<see cref="LandscapeBasins.Statistics"/>; <c>llt analyze --basins</c>).</summary>
public sealed record BasinStatistics
{
    /// <summary>Steepest-descent basins: one per minimum.</summary>
    public required int BasinCount { get; init; }

    /// <summary>SMAD, the saddle–minimum average distance (<see cref="LandscapeBasins.Smad"/>).</summary>
    public required double Smad { get; init; }

    /// <summary>SMAD with each gap divided by the finite value range.</summary>
    public required double NormalizedSmad { get; init; }

    /// <summary>SMAD with each gap weighted by its basin's share of the vertices.</summary>
    public required double WeightedSmad { get; init; }

    /// <summary>The largest basin's share of the vertices.</summary>
    public required double LargestBasinFraction { get; init; }
}
