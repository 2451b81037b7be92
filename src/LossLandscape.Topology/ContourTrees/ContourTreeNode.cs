namespace LossLandscape.Topology.ContourTrees;

/// <summary>What a node of a contour tree (or of a split tree) is, from its degrees.</summary>
public enum ContourTreeNodeKind : byte
{
    /// <summary>No arc below, at least one above: a level set is born here.</summary>
    Minimum,

    /// <summary>No arc above, at least one below: a level set vanishes here.</summary>
    Maximum,

    /// <summary>Three or more arcs, or (in a split tree) the place where superlevel-set components meet: level sets merge or split.</summary>
    Saddle,

    /// <summary>
    /// No arc at all: a vertex alone in its connected part of the graph, or (in a split tree) the lowest vertex of a
    /// connected part, where its last arc ends.
    /// </summary>
    Root,
}

/// <summary>A node of a contour tree or a split tree; its id is its index in the tree's <c>Nodes</c>.</summary>
/// <param name="Vertex">The vertex (flat index) the node sits on.</param>
/// <param name="Value">The value at that vertex (+∞ for a NaN read as +∞).</param>
/// <param name="DownDegree">Arcs that end here from below.</param>
/// <param name="UpDegree">Arcs that start here going up.</param>
public readonly record struct ContourTreeNode(int Vertex, double Value, int DownDegree, int UpDegree)
{
    /// <summary>Minimum, maximum or saddle, from the degrees (a node with neither is a root).</summary>
    public ContourTreeNodeKind Kind => (DownDegree, UpDegree) switch
    {
        (0, 0) => ContourTreeNodeKind.Root,
        (0, _) => ContourTreeNodeKind.Minimum,
        (_, 0) => ContourTreeNodeKind.Maximum,
        _ => ContourTreeNodeKind.Saddle,
    };
}

/// <summary>An arc between two nodes: a family of level-set components that changes only at its ends.</summary>
/// <param name="Lower">Node id of the lower end.</param>
/// <param name="Upper">Node id of the upper end.</param>
/// <param name="RegularVertexCount">Regular vertices on the arc (its region), not counting the two end nodes.</param>
public readonly record struct ContourTreeArc(int Lower, int Upper, int RegularVertexCount);

/// <summary>
/// A branch of the contour tree's branch decomposition (Pascucci, Cole-McLaughlin and Scorzelli 2004): a monotone
/// path from a leaf to the saddle it hangs from, cut off in the order of persistence; the last path left in a
/// connected part is its main branch. That is usually the path from the global minimum to the global maximum, but not
/// always: the global maximum's leaf arc is cut first when its saddle's other arcs up end at higher-persistence
/// branches that cannot be cut yet.
/// </summary>
/// <param name="Id">Index in <see cref="ContourTree.Branches"/>.</param>
/// <param name="Lower">Node id of the branch's lower end.</param>
/// <param name="Upper">Node id of the branch's upper end.</param>
/// <param name="Parent">Id of the branch it hangs from, or −1 for a main branch.</param>
/// <param name="Persistence">Value at the upper end minus value at the lower end (0 when both are the same infinity).</param>
public readonly record struct ContourTreeBranch(int Id, int Lower, int Upper, int Parent, double Persistence)
{
    /// <summary>True for the main branch of a connected part (global minimum to global maximum).</summary>
    public bool IsMain => Parent < 0;
}
