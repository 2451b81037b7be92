namespace LossLandscape.Topology.Torch.Sampling;

/// <summary>Progress of a landscape sampling run.</summary>
/// <param name="Completed">Points done, including points taken from a checkpoint.</param>
/// <param name="Total">Points in the landscape.</param>
/// <param name="Elapsed">Time spent in this run.</param>
/// <param name="Remaining">Estimated time left, from this run's rate; null before the first point.</param>
public readonly record struct SamplingProgress(int Completed, int Total, TimeSpan Elapsed, TimeSpan? Remaining)
{
    /// <summary>Fraction done, 0 to 1.</summary>
    public double Fraction => Total == 0 ? 1 : (double)Completed / Total;

    /// <inheritdoc />
    public override string ToString()
        => $"{Completed}/{Total} ({Fraction:P0}), {Elapsed:hh\\:mm\\:ss} elapsed{(Remaining is { } r ? $", about {r:hh\\:mm\\:ss} left" : string.Empty)}";
}
