namespace LossLandscape.Topology.Graphs;

/// <summary>Options of <see cref="NnDescentGraphBuilder"/>; the defaults live here.</summary>
public sealed record NnDescentOptions
{
    /// <summary>The defaults.</summary>
    public static NnDescentOptions Default { get; } = new();

    /// <summary>Seed of the shifted Z-curves the lists start from (every seed alike, 0 included).</summary>
    public int Seed { get; init; }

    /// <summary>ρ: the fraction of each list (and of the reverse neighbours, up to k) joined per round, in (0, 1]; 1 by default.</summary>
    public double SampleRate { get; init; } = 1;

    /// <summary>δ: stop when fewer than δ·n·k entries changed in a round; 0.001 by default.</summary>
    public double Delta { get; init; } = 0.001;

    /// <summary>Most rounds; 30 by default.</summary>
    public int MaxRounds { get; init; } = 30;

    /// <summary>How the directed relation becomes undirected; <see cref="KnnSymmetrization.Union"/> by default.</summary>
    public KnnSymmetrization Symmetrization { get; init; } = KnnSymmetrization.Union;
}
