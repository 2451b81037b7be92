namespace LossLandscape.Topology.Torch.Analysis;

/// <summary>Where a <see cref="LandscapeAnalysis"/> is.</summary>
/// <param name="Stage">What runs now (e.g. "Hessian", "landscape random seed 1").</param>
/// <param name="Done">Stages finished.</param>
/// <param name="Total">Stages in all.</param>
/// <param name="Sampling">Progress of the landscape being sampled, when one is.</param>
public sealed record AnalysisProgress(string Stage, int Done, int Total, Sampling.SamplingProgress? Sampling);
