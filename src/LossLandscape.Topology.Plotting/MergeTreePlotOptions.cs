namespace LossLandscape.Topology.Plotting;

/// <summary>Options of <see cref="MergeTreePlot"/>; the defaults live here.</summary>
public sealed record MergeTreePlotOptions
{
    /// <summary>The defaults.</summary>
    public static MergeTreePlotOptions Default { get; } = new();

    /// <summary>Title; by default the counts of minima and saddles.</summary>
    public string? Title { get; init; }

    /// <summary>The value axis; <see cref="ValueScale.Auto"/> (log beyond two decades) by default.</summary>
    public ValueScale Scale { get; init; } = ValueScale.Auto;

    /// <summary>For <see cref="ValueScale.Clipped"/>: the quantile of node values kept (0.9 by default).</summary>
    public double ClipQuantile { get; init; } = 0.9;

    /// <summary>Name of the value axis ("loss" by default).</summary>
    public string ValueLabel { get; init; } = "loss";

    /// <summary>Colour each branch by its persistence (viridis, darker = less persistent); true by default.</summary>
    public bool ColorByPersistence { get; init; } = true;

    /// <summary>
    /// Draw at most this many branches, the most persistent (a parent is at least as persistent as its children,
    /// so the drawing stays a tree); the title says how many were left out. 1,000 by default: a 2048² random grid
    /// has 466,000 branches, which no picture shows.
    /// </summary>
    public int MaxBranches { get; init; } = 1000;

    /// <summary>Label this many of the most persistent minima (m1 is the global one); 3 by default, 0 for none.</summary>
    public int LabeledMinima { get; init; } = 3;
}
