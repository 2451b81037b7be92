namespace LossLandscape.Topology.Plotting;

/// <summary>Options of <see cref="PersistenceDiagramPlot"/> and <see cref="PersistenceBarcodePlot"/>; the defaults live here.</summary>
public sealed record PersistenceDiagramPlotOptions
{
    /// <summary>The defaults.</summary>
    public static PersistenceDiagramPlotOptions Default { get; } = new();

    /// <summary>Title; "Persistence diagram" or "Persistence barcode" by default.</summary>
    public string? Title { get; init; }

    /// <summary>Birth and death axes; <see cref="ValueScale.Auto"/> (log beyond two decades) by default.</summary>
    public ValueScale Scale { get; init; } = ValueScale.Auto;

    /// <summary>For <see cref="ValueScale.Clipped"/>: the quantile of births and deaths kept (0.9 by default).</summary>
    public double ClipQuantile { get; init; } = 0.9;

    /// <summary>
    /// The diagram draws at most this many finite pairs, the most persistent (20,000 by default: beyond that the
    /// points near the diagonal are one blob, and drawing half a million takes seconds); the legend says how many
    /// there are in all.
    /// </summary>
    public int MaxPoints { get; init; } = 20_000;

    /// <summary>The barcode draws at most this many bars, the most persistent (1,000 by default); its axis title says how many there are in all.</summary>
    public int MaxBars { get; init; } = 1000;

    /// <summary>Name of the values ("loss" by default): the axes read "birth (loss)", "death (loss)".</summary>
    public string ValueLabel { get; init; } = "loss";
}
