using System.Collections.Immutable;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.ContourTrees;

/// <summary>
/// The contour tree of a landscape (Carr, Snoeyink and Axen 2003, "Computing contour trees in all dimensions"): how the
/// connected components of its level sets are born, merge, split and vanish as the level rises. Minima and maxima
/// are its leaves, saddles its inner nodes; the merge tree (<see cref="MergeTrees.MergeTree"/>) and the
/// <see cref="SplitTree"/> are what it looks like from below and from above. Immutable.
/// </summary>
/// <remarks>
/// Built from the augmented join and split trees (one union-find sweep each, vertices ordered by (value, index) as
/// everywhere in the library) merged leaf by leaf. It is the contour tree of the piecewise-linear landscape when the
/// graph is the 1-skeleton of a simply connected triangulation: on a grid, <see cref="GridConnectivity.Freudenthal"/>
/// (the default here, TTK's triangulation of images), whose every level set a test computes by flood fill. On other
/// graphs (a k-nearest-neighbour graph, say) it is the tree that merging the graph's join and split trees gives,
/// and a graph whose trees do not merge is refused. Node ids follow (value, index) order; regular vertices are
/// counted on their arcs. NaN is refused, or read as +∞ with <see cref="NaNHandling.TreatAsPositiveInfinity"/>.
/// </remarks>
public sealed class ContourTree
{
    private readonly (int Lower, int Upper)[] _augmented;

    internal ContourTree(int vertexCount, ContourTreeNode[] nodes, ContourTreeArc[] arcs, ContourTreeBranch[] branches, SplitTree split, (int, int)[] augmented, Landscape? landscape)
    {
        VertexCount = vertexCount;
        Nodes = [.. nodes];
        Arcs = [.. arcs];
        Branches = [.. branches];
        SplitTree = split;
        _augmented = augmented;
        Landscape = landscape;
    }

    /// <summary>Vertices of the landscape or graph.</summary>
    public int VertexCount { get; }

    /// <summary>The landscape the tree was built from, when it was built from one.</summary>
    public Landscape? Landscape { get; }

    /// <summary>Minima, maxima and saddles (and vertices alone in their part), in (value, index) order.</summary>
    public ImmutableArray<ContourTreeNode> Nodes { get; }

    /// <summary>Arcs between nodes, by lower node, then upper node.</summary>
    public ImmutableArray<ContourTreeArc> Arcs { get; }

    /// <summary>
    /// The branch decomposition: every arc lies on exactly one branch. Branches are listed in the order they were
    /// cut off (ascending persistence), the main branch of each connected part last.
    /// </summary>
    public ImmutableArray<ContourTreeBranch> Branches { get; }

    /// <summary>The split tree (superlevel-set merge tree) of the same landscape and graph, with the same order.</summary>
    public SplitTree SplitTree { get; }

    /// <summary>The augmented tree's arcs, one per vertex pair (lower, upper), for tests.</summary>
    internal ReadOnlySpan<(int Lower, int Upper)> AugmentedArcs => _augmented;

    /// <summary>The contour tree of a grid landscape on its Freudenthal triangulation.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="landscape"/> is null.</exception>
    /// <exception cref="ArgumentException">The landscape is scattered (build a graph for it), or a value is NaN while NaN is an error.</exception>
    public static ContourTree Build(Landscape landscape, NaNHandling nanHandling = NaNHandling.Throw)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        if (!landscape.IsGrid)
        {
            throw new ArgumentException("The landscape is scattered: build a graph for it (KnnGraphBuilder, DelaunayGraphBuilder) and pass it with the landscape.", nameof(landscape));
        }

        return Build(NeighborGraph.ForGrid(new GridTopology(landscape.Shape, GridConnectivity.Freudenthal)), landscape, nanHandling);
    }

    /// <summary>The contour tree of <paramref name="landscape"/>'s values on <paramref name="graph"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The graph and landscape differ in size, or a value is NaN while NaN is an error.</exception>
    /// <exception cref="InvalidOperationException">The graph's join and split trees do not merge into a contour tree.</exception>
    public static ContourTree Build(NeighborGraph graph, Landscape landscape, NaNHandling nanHandling = NaNHandling.Throw)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(landscape);
        if (graph.VertexCount != landscape.Count)
        {
            throw new ArgumentException($"The graph has {graph.VertexCount} vertices but the landscape has {landscape.Count} values.", nameof(graph));
        }

        return ContourTreeBuilder.Build(graph, landscape.Values, nanHandling, landscape, nameof(landscape));
    }

    /// <summary>The contour tree of <paramref name="values"/> (one per vertex) on <paramref name="graph"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    /// <exception cref="ArgumentException">A count mismatch, or a NaN while NaN is an error (the message names its index).</exception>
    /// <exception cref="InvalidOperationException">The graph's join and split trees do not merge into a contour tree.</exception>
    public static ContourTree Build(NeighborGraph graph, ReadOnlySpan<double> values, NaNHandling nanHandling = NaNHandling.Throw)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.VertexCount != values.Length)
        {
            throw new ArgumentException($"The graph has {graph.VertexCount} vertices but {values.Length} values were given.", nameof(values));
        }

        return ContourTreeBuilder.Build(graph, values, nanHandling, null, nameof(values));
    }

    /// <inheritdoc />
    public override string ToString()
        => $"Contour tree of {VertexCount} vertices: {Nodes.Count(n => n.Kind == ContourTreeNodeKind.Minimum)} minima, {Nodes.Count(n => n.Kind == ContourTreeNodeKind.Maximum)} maxima, {Nodes.Count(n => n.Kind == ContourTreeNodeKind.Saddle)} saddles, {Branches.Length} branches";
}
