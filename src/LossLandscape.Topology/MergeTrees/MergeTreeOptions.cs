namespace LossLandscape.Topology.MergeTrees;

/// <summary>Options of <see cref="MergeTreeBuilder"/>; the defaults live here.</summary>
public sealed record MergeTreeOptions
{
    /// <summary>The defaults: NaN is an error.</summary>
    public static MergeTreeOptions Default { get; } = new();

    /// <summary>What a NaN value means; <see cref="NaNHandling.Throw"/> by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Topology.NaNHandling"/>.</exception>
    public NaNHandling NaNHandling
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(NaNHandling), value, "Unknown NaN handling.");
    } = NaNHandling.Throw;

    /// <summary>
    /// Threads for large 2-D grids (at least <see cref="TiledMinimumVertices"/> vertices), which are swept tile by
    /// tile; null (the default) for <see cref="ComputeThreads.Choose(int?)"/>: <c>OMP_NUM_THREADS</c>, else the cores free
    /// now. The tree is the same for every count; smaller grids and other graphs use one thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? Threads
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Threads), value, "At least 1 thread.");
    }

    /// <summary>
    /// When <see cref="Threads"/> is null: a measurement of the free cores already under way
    /// (<see cref="ComputeThreads.StartMeasuring"/>, started for instance before the landscape was loaded), from which
    /// the count is taken once its window is long enough; null (the default) to start one when the build starts. The
    /// first tiles are swept on the calling thread meanwhile.
    /// </summary>
    public FreeCoresMeasurement? FreeCores { get; init; }

    /// <summary>The smallest 2-D grid swept tile by tile: 2²⁰ vertices (1024²); below that the grid's sweep state fits in the caches anyway.</summary>
    public const int TiledMinimumVertices = 1 << 20;

    /// <summary>Tile rows and columns of the tiled sweep (tests set small tiles to exercise many borders).</summary>
    internal int TileSide { get; init; } = TiledJoin.DefaultTileSide;

    /// <summary>The grid size from which the tiled sweep runs (tests lower it).</summary>
    internal int TiledFrom { get; init; } = TiledMinimumVertices;
}
