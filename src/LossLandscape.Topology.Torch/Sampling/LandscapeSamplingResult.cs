using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Torch.Sampling;

/// <summary>What a sampling run produced.</summary>
/// <param name="Loss">The loss at every point.</param>
/// <param name="Metrics">Each extra metric of the loss function at every point, by name.</param>
/// <param name="PointsEvaluated">Points evaluated in this run.</param>
/// <param name="PointsFromCheckpoint">Points taken from an earlier run's checkpoint.</param>
public sealed record LandscapeSamplingResult(
    Landscape Loss,
    IReadOnlyDictionary<string, Landscape> Metrics,
    int PointsEvaluated,
    int PointsFromCheckpoint);
