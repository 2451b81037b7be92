using System.Collections.Immutable;

namespace LossLandscape.Topology.ContourTrees;

/// <summary>
/// The split tree: the merge tree of superlevel sets, swept from the top. Maxima are its leaves, saddles are where
/// superlevel components meet, and each connected part ends at its lowest vertex. Made with a
/// <see cref="ContourTree"/> (<see cref="ContourTree.SplitTree"/>), in the same (value, index) order, so that on tied
/// values it is the exact mirror of the merge tree. Immutable.
/// </summary>
public sealed class SplitTree
{
    internal SplitTree(int vertexCount, ContourTreeNode[] nodes, ContourTreeArc[] arcs)
    {
        VertexCount = vertexCount;
        Nodes = [.. nodes];
        Arcs = [.. arcs];
    }

    /// <summary>Vertices of the landscape or graph.</summary>
    public int VertexCount { get; }

    /// <summary>
    /// Maxima (<see cref="ContourTreeNodeKind.Maximum"/>: one arc below, none above), saddles (several above), and the
    /// lowest vertex of each part (no arc below; <see cref="ContourTreeNodeKind.Minimum"/>, or
    /// <see cref="ContourTreeNodeKind.Root"/> for a vertex alone), in descending (value, index) order.
    /// </summary>
    public ImmutableArray<ContourTreeNode> Nodes { get; }

    /// <summary>Arcs from each node down to the node below it, by upper node.</summary>
    public ImmutableArray<ContourTreeArc> Arcs { get; }

    /// <summary>Maxima: the leaves.</summary>
    public int MaximumCount => Nodes.Count(n => n.Kind == ContourTreeNodeKind.Maximum);
}
