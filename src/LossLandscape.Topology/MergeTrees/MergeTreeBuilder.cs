using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Ordering;

namespace LossLandscape.Topology.MergeTrees;

/// <summary>
/// Builds the sublevel-set merge tree (join tree) of a scalar field on a <see cref="NeighborGraph"/>:
/// vertices are sorted on (value, index) and swept upward with a flat union-find.
/// </summary>
/// <remarks>
/// Cost: a radix sort of N 64-bit keys plus one pass over the edges; memory: 24 bytes per vertex during the
/// sort, of which the sweep reuses 4 (one parent index per vertex), plus the tree itself. Ties are broken by
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
    /// The graph and the landscape have different vertex counts, or a value is NaN while
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
    public MergeTree Build(Landscape landscape, IGraphBuilder graphBuilder)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        ArgumentNullException.ThrowIfNull(graphBuilder);
        return Build(graphBuilder.Build(landscape), landscape);
    }

    private MergeTree BuildCore(NeighborGraph graph, ReadOnlySpan<double> values, Landscape? landscape, string valuesName)
    {
        int n = values.Length;
        ulong[] keys = GC.AllocateUninitializedArray<ulong>(n);
        int firstNaN = SortableKeys.Fill(values, keys, Options.NaNHandling);
        if (firstNaN >= 0)
        {
            string where = landscape?.DescribeVertex(firstNaN) ?? $"index {firstNaN}";
            throw new ArgumentException($"The value at {where} is NaN. Fix the landscape, or set MergeTreeOptions.NaNHandling to TreatAsPositiveInfinity to read NaN as +∞.", valuesName);
        }

        int[] order = GC.AllocateUninitializedArray<int>(n);
        int[] parent = GC.AllocateUninitializedArray<int>(n);
        {
            ulong[] keyScratch = GC.AllocateUninitializedArray<ulong>(n);
            RadixArgsort.Sort(keys, keyScratch, order, parent); // parent serves as the order scratch
        }

        // A rough guess of the number of minima keeps the per-component lists from regrowing many times.
        var sweep = new JoinSweep(parent, expectedMinima: n / 16);
        GridTopology? grid = graph.Grid;
        if (grid is not null && grid.Dimension == 2 && grid.VertexCount > 1)
        {
            sweep.Run(order, new Grid2DNeighborhood(grid), graph.MaxDegree);
        }
        else if (grid is not null)
        {
            sweep.Run(order, new GridNeighborhood(grid), grid.StencilSize);
        }
        else
        {
            sweep.Run(order, new CsrNeighborhood(graph.OffsetsArray, graph.TargetsArray), graph.MaxDegree);
        }

        return sweep.Finish(values, Options.NaNHandling == NaNHandling.TreatAsPositiveInfinity, landscape);
    }
}
