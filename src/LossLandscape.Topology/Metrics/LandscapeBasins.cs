using System.Collections.Immutable;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Metrics;

/// <summary>
/// The basins of a landscape and the metrics its authors' newer package (Vis4SciML/Landscaper 1.3, <c>landscape.py</c>)
/// builds on them: per-basin size, depth and persistence, aggregates of any per-vertex quantity over basins
/// (Landscaper's <c>basin_metric</c>), and SMAD, the saddle–minimum average distance (<c>smad</c>).
/// </summary>
/// <remarks>
/// Landscaper takes basins from topopy's Morse–Smale complex (steepest descent on an empty-region graph of the sample
/// coordinates) and saddle–minimum pairs from topopy's merge tree on the same graph. Here both come from one graph,
/// the one the merge tree was built on (pass it again): basins follow the steepest drop per unit of coordinate
/// distance, and the pairs are the merge tree's arcs from a minimum up to a saddle.
/// </remarks>
public sealed class LandscapeBasins
{
    private readonly int[] _basinOfVertex;

    private LandscapeBasins(MergeTree tree, Basin[] basins, int[] basinOfVertex)
    {
        Tree = tree;
        Basins = [.. basins];
        _basinOfVertex = basinOfVertex;
    }

    /// <summary>The merge tree the basins belong to.</summary>
    public MergeTree Tree { get; }

    /// <summary>One basin per minimum of the merge tree, in node order.</summary>
    public ImmutableArray<Basin> Basins { get; }

    /// <summary>The basin (index into <see cref="Basins"/>) vertex <paramref name="vertex"/> flows to.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a vertex.</exception>
    public int BasinOf(int vertex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vertex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(vertex, _basinOfVertex.Length);
        return _basinOfVertex[vertex];
    }

    /// <summary>The basins of <paramref name="tree"/>'s landscape on <paramref name="graph"/>, the graph the tree was built on.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The tree has no landscape (it was built from bare values), or the graph is not the tree's.</exception>
    public static LandscapeBasins Of(MergeTree tree, NeighborGraph graph)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(graph);
        if (tree.Landscape is not { } landscape)
        {
            throw new ArgumentException("The tree was built from bare values; basins need its Landscape (for the values and the coordinates).", nameof(tree));
        }

        if (graph.VertexCount != tree.VertexCount)
        {
            throw new ArgumentException($"The graph has {graph.VertexCount} vertices but the tree {tree.VertexCount}.", nameof(graph));
        }

        int[] rank = SteepestDescent.Ranks(landscape.Values);
        int[] flow = SteepestDescent.Basins(graph, landscape, rank);
        var indexOfMinimum = new Dictionary<int, int>();
        var minima = new List<int>();
        for (int node = 0; node < tree.Nodes.Length; node++)
        {
            if (tree.Nodes[node].Kind == MergeTreeNodeKind.Minimum)
            {
                indexOfMinimum[tree.Nodes[node].Vertex] = minima.Count;
                minima.Add(node);
            }
        }

        int n = tree.VertexCount;
        var basinOfVertex = new int[n];
        var counts = new int[minima.Count];
        var sums = new double[minima.Count];
        ReadOnlySpan<double> values = landscape.Values;
        for (int v = 0; v < n; v++)
        {
            if (!indexOfMinimum.TryGetValue(flow[v], out int b))
            {
                throw new ArgumentException($"Vertex {flow[v]} has no lower neighbour on this graph but is no minimum of the tree: the graph is not the one the tree was built on.", nameof(graph));
            }

            basinOfVertex[v] = b;
            counts[b]++;
            sums[b] += NaNAsInfinity.Read(values[v]);
        }

        var persistence = new Dictionary<int, double>();
        foreach (MergeTreeBranch branch in tree.Branches)
        {
            persistence[branch.Minimum] = PersistencePair.Difference(branch.Birth, branch.Death);
        }

        var basins = new Basin[minima.Count];
        for (int b = 0; b < minima.Count; b++)
        {
            MergeTreeNode minimum = tree.Nodes[minima[b]];
            int up = tree.ParentOf(minima[b]);
            double depth = up < 0 ? 0 : PersistencePair.Difference(minimum.Value, tree.Nodes[up].Value);
            basins[b] = new Basin(minima[b], minimum.Vertex, minimum.Value, counts[b], (double)counts[b] / n, depth,
                persistence.GetValueOrDefault(minima[b]), sums[b] / counts[b]);
        }

        return new LandscapeBasins(tree, basins, basinOfVertex);
    }

    /// <summary>
    /// SMAD, the saddle–minimum average distance (Landscaper's <c>LossLandscape.smad</c>): the mean, over the merge
    /// tree's arcs from a minimum up to a saddle, of the saddle's value minus the minimum's (<see cref="Basin.Depth"/>).
    /// A smooth landscape has few, shallow such gaps. 0 when no minimum hangs from a saddle (a single basin).
    /// </summary>
    /// <param name="normalize">Divide each gap by the landscape's value range (largest minus smallest value).</param>
    /// <param name="weighted">Weight each gap by its basin's <see cref="Basin.Fraction"/> (the mean of gap × fraction, as Landscaper computes it).</param>
    public double Smad(bool normalize = false, bool weighted = false)
    {
        double range = Tree.FiniteMaximum - Tree.FiniteMinimum;
        double sum = 0;
        int count = 0;
        foreach (Basin basin in Basins)
        {
            int up = Tree.ParentOf(basin.Node);
            if (up < 0 || Tree.Nodes[up].Kind != MergeTreeNodeKind.Saddle)
            {
                continue;
            }

            double gap = basin.Depth;
            if (normalize)
            {
                gap = range > 0 ? gap / range : 0;
            }

            sum += weighted ? gap * basin.Fraction : gap;
            count++;
        }

        return count == 0 ? 0 : sum / count;
    }

    /// <summary>
    /// A metric over basins of any per-vertex quantity (Landscaper's <c>basin_metric</c>): <paramref name="perBasin"/>
    /// reduces each basin's values (in vertex order) to one number, and <paramref name="final"/> reduces those (in basin
    /// order); both default to the mean.
    /// </summary>
    /// <param name="values">One value per vertex (the loss itself, an accuracy, a gradient norm).</param>
    /// <param name="perBasin">Reduces one basin's values; the mean when null.</param>
    /// <param name="final">Reduces the per-basin numbers; the mean when null.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> is not one per vertex.</exception>
    public double Aggregate(ReadOnlySpan<double> values, Func<double[], double>? perBasin = null, Func<double[], double>? final = null)
    {
        if (values.Length != _basinOfVertex.Length)
        {
            throw new ArgumentException($"{values.Length} values were given for {_basinOfVertex.Length} vertices.", nameof(values));
        }

        perBasin ??= Mean;
        final ??= Mean;
        var members = new List<double>[Basins.Length];
        for (int b = 0; b < members.Length; b++)
        {
            members[b] = new List<double>(Basins[b].VertexCount);
        }

        for (int v = 0; v < values.Length; v++)
        {
            members[_basinOfVertex[v]].Add(values[v]);
        }

        return final(members.Select(m => perBasin([.. m])).ToArray());
    }

    /// <summary>The basins' numbers in one record: count, SMAD in its three forms, and the largest basin's share.</summary>
    public BasinStatistics Statistics() => new()
    {
        BasinCount = Basins.Length,
        Smad = Smad(),
        NormalizedSmad = Smad(normalize: true),
        WeightedSmad = Smad(weighted: true),
        LargestBasinFraction = Basins.Length == 0 ? 0 : Basins.Max(b => b.Fraction),
    };

    private static double Mean(double[] values) => values.Length == 0 ? double.NaN : values.Average();

}
