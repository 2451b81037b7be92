using System.Buffers;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Ordering;

namespace LossLandscape.Topology.MergeTrees;

/// <summary>
/// Builds the sublevel-set merge tree (join tree) of a scalar field on a <see cref="NeighborGraph"/>:
/// vertices are sorted on (value, index) and swept upward with a flat union-find.
/// </summary>
/// <remarks>
/// Cost: a radix sort of N 64-bit keys plus one pass over the edges; memory: 24 bytes per vertex of scratch
/// (rented from the shared array pool) during the sort, of which the sweep reuses 8 (the order and one
/// union-find link per vertex), plus the tree itself. Ties are broken by
/// vertex index (simulation of simplicity), so results depend only on the input. Thread-safe: a builder holds
/// no state besides its options.
/// </remarks>
public sealed class MergeTreeBuilder
{
    /// <summary>Creates a builder.</summary>
    /// <param name="options">Options; <see cref="MergeTreeOptions.Default"/> when null.</param>
    public MergeTreeBuilder(MergeTreeOptions? options = null)
    {
        Options = options ?? MergeTreeOptions.Default;
    }

    /// <summary>The options in use.</summary>
    public MergeTreeOptions Options { get; }

    /// <summary>Builds the merge tree of <paramref name="landscape"/>'s values on <paramref name="graph"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The graph and the landscape have different vertex counts or grid shapes, or a value is NaN while
    /// <see cref="MergeTreeOptions.NaNHandling"/> is <see cref="NaNHandling.Throw"/> (the message names the first NaN's grid index).
    /// </exception>
    public MergeTree Build(NeighborGraph graph, Landscape landscape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(landscape);
        if (graph.VertexCount != landscape.Count)
        {
            throw new ArgumentException($"The graph has {graph.VertexCount} vertices but the landscape has {landscape.Count} values.", nameof(graph));
        }

        if (graph.Grid is not null && landscape.IsGrid && !graph.Grid.Shape.SequenceEqual(landscape.Shape))
        {
            throw new ArgumentException($"The graph is a grid of shape ({string.Join(", ", graph.Grid.Shape.ToArray())}) but the landscape's shape is ({string.Join(", ", landscape.Shape.ToArray())}).", nameof(graph));
        }

        return BuildCore(graph, landscape.Values, landscape, nameof(landscape));
    }

    /// <summary>Builds the merge tree of <paramref name="values"/> (one per vertex) on <paramref name="graph"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    /// <exception cref="ArgumentException">A count mismatch, or a NaN while NaN is an error (the message names its index).</exception>
    public MergeTree Build(NeighborGraph graph, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.VertexCount != values.Length)
        {
            throw new ArgumentException($"The graph has {graph.VertexCount} vertices but {values.Length} values were given.", nameof(values));
        }

        return BuildCore(graph, values, null, nameof(values));
    }

    /// <summary>Builds the merge tree of a landscape on the graph that <paramref name="graphBuilder"/> makes of it.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public MergeTree Build(IGraphBuilder graphBuilder, Landscape landscape)
    {
        ArgumentNullException.ThrowIfNull(graphBuilder);
        ArgumentNullException.ThrowIfNull(landscape);
        return Build(graphBuilder.Build(landscape), landscape);
    }

    /// <summary>
    /// Builds the merge tree of <paramref name="values"/> (one per vertex) on an implicit graph, swept directly
    /// without storing its adjacency (see <see cref="INeighborhood"/> for what it must satisfy).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="neighborhood"/> is null.</exception>
    /// <exception cref="ArgumentException">A count mismatch, or a NaN while NaN is an error.</exception>
    /// <exception cref="InvalidOperationException">The neighbourhood gave a vertex more than MaxDegree neighbours, or an invalid one.</exception>
    public MergeTree Build<TNeighborhood>(TNeighborhood neighborhood, ReadOnlySpan<double> values)
        where TNeighborhood : INeighborhood
    {
        ArgumentNullException.ThrowIfNull(neighborhood);
        if (neighborhood.VertexCount != values.Length)
        {
            throw new ArgumentException($"The neighbourhood has {neighborhood.VertexCount} vertices but {values.Length} values were given.", nameof(values));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(neighborhood.MaxDegree, nameof(neighborhood));
        int degree = neighborhood.MaxDegree;
        return BuildCore(values, null, nameof(values), (sweep, sorted) => sweep.Run(sorted, new CheckedNeighborhood<TNeighborhood>(neighborhood), degree));
    }

    private MergeTree BuildCore(NeighborGraph graph, ReadOnlySpan<double> values, Landscape? landscape, string valuesName)
    {
        if (graph.Grid is { } tiled && values.Length >= Options.TiledFrom && TiledJoin.Applies(tiled))
        {
            return BuildTiled(tiled, values, landscape, valuesName);
        }

        return BuildCore(values, landscape, valuesName, (sweep, sorted) =>
        {
            GridTopology? grid = graph.Grid;
            if (grid is not null && grid.Dimension == 2 && grid.VertexCount > 1)
            {
                sweep.Run(sorted, new Grid2DNeighborhood(grid), graph.MaxDegree);
            }
            else if (grid is not null)
            {
                sweep.Run(sorted, new GridNeighborhood(grid), grid.Scratch);
            }
            else
            {
                sweep.Run(sorted, new CsrNeighborhood(graph.OffsetsArray, graph.TargetsArray), graph.MaxDegree);
            }
        });
    }

    private MergeTree BuildTiled(GridTopology grid, ReadOnlySpan<double> values, Landscape? landscape, string valuesName)
    {
        int n = values.Length;
        ulong[] keys = ArrayPool<ulong>.Shared.Rent(n);
        try
        {
            // The free cores are measured (ComputeThreads.Choose) while this thread already sweeps the first tiles.
            FreeCoresMeasurement freeCores = Options.FreeCores ?? ComputeThreads.StartMeasuring();
            Task<int> threads = Options.Threads is int count ? Task.FromResult(count) : Task.Run(() => ComputeThreads.Choose(null, freeCores));
            FillKeys(values, keys.AsSpan(0, n), landscape, valuesName);
            return TiledJoin.Build(grid, values, keys, Options.TileSide, TiledJoin.ColumnsFor(Options.TileSide), threads, Options.NaNHandling == NaNHandling.TreatAsPositiveInfinity, landscape);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
        }
    }

    private void FillKeys(ReadOnlySpan<double> values, Span<ulong> keys, Landscape? landscape, string valuesName)
    {
        int firstNaN = SortableKeys.Fill(values, keys, Options.NaNHandling);
        if (firstNaN >= 0)
        {
            string where = landscape?.DescribeVertex(firstNaN) ?? $"index {firstNaN}";
            throw new ArgumentException($"The value at {where} is NaN. Fix the landscape, or set MergeTreeOptions.NaNHandling to TreatAsPositiveInfinity to read NaN as +∞.", valuesName);
        }
    }

    private delegate void SweepRunner(JoinSweep sweep, ReadOnlySpan<int> sorted);

    private MergeTree BuildCore(ReadOnlySpan<double> values, Landscape? landscape, string valuesName, SweepRunner run)
    {
        int n = values.Length;

        // The per-vertex scratch (24 bytes a vertex) is rented: fresh multi-megabyte arrays cost page faults and
        // full garbage collections that would take as long as the sort itself when trees are built repeatedly.
        ulong[] keys = ArrayPool<ulong>.Shared.Rent(n);
        ulong[] keyScratch = ArrayPool<ulong>.Shared.Rent(n);
        int[] order = ArrayPool<int>.Shared.Rent(n);
        int[] parent = ArrayPool<int>.Shared.Rent(n);
        try
        {
            FillKeys(values, keys.AsSpan(0, n), landscape, valuesName);

            // parent serves as the order scratch during the sort.
            RadixArgsort.Sort(keys.AsSpan(0, n), keyScratch.AsSpan(0, n), order.AsSpan(0, n), parent.AsSpan(0, n));

            // The order scratch is free after the sort: it holds the sweep's union-find links. A rough guess of
            // the number of minima keeps the per-component lists from regrowing many times.
            var sweep = new JoinSweep(parent, n, expectedMinima: n / 16);
            ReadOnlySpan<int> sorted = order.AsSpan(0, n);
            run(sweep, sorted);

            return sweep.Finish(sorted, values, Options.NaNHandling == NaNHandling.TreatAsPositiveInfinity, landscape);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
            ArrayPool<ulong>.Shared.Return(keyScratch);
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<int>.Shared.Return(parent);
        }
    }
}
