namespace LossLandscape.Topology.MergeTrees;

/// <summary>What a merge-tree node is.</summary>
public enum MergeTreeNodeKind : byte
{
    /// <summary>A local minimum: a vertex with no lower neighbour, where a sublevel-set component is born (a leaf).</summary>
    Minimum,

    /// <summary>A (join) saddle: a vertex where two or more sublevel-set components meet.</summary>
    Saddle,

    /// <summary>
    /// The top of a connected component: its highest vertex, where the last arc ends. A top vertex that is itself a
    /// saddle or a minimum keeps that kind and is listed in <see cref="MergeTree.Roots"/>.
    /// </summary>
    Root,
}

/// <summary>A node of a merge tree; its id is its index in <see cref="MergeTree.Nodes"/>.</summary>
/// <param name="Kind">Minimum, saddle or root.</param>
/// <param name="Vertex">The landscape vertex (flat index) the node sits on.</param>
/// <param name="Value">The value at that vertex (+∞ for a NaN mapped to +∞).</param>
public readonly record struct MergeTreeNode(MergeTreeNodeKind Kind, int Vertex, double Value);

/// <summary>
/// An arc of a merge tree, from a lower node up to the node where its component next changes.
/// </summary>
/// <param name="Lower">Node id of the lower end.</param>
/// <param name="Upper">Node id of the upper end.</param>
/// <param name="RegionVertexCount">
/// Number of regular vertices whose sublevel-set component is this arc when they enter (the arc's region),
/// not counting the two end nodes. Over all arcs these plus the nodes add up to the vertex count.
/// </param>
public readonly record struct MergeTreeArc(int Lower, int Upper, int RegionVertexCount);

/// <summary>
/// A branch of the merge tree's branch decomposition: the monotone path from a minimum up to the saddle where
/// its component dies by the elder rule (merges into an older one), or up to the root for the essential branch.
/// Branches correspond one to one to the points of the persistence diagram.
/// </summary>
/// <param name="Id">Index in <see cref="MergeTree.Branches"/>.</param>
/// <param name="Minimum">Node id of the branch's minimum (birth).</param>
/// <param name="Top">Node id of the saddle where the branch dies, or of the root for an essential branch.</param>
/// <param name="Parent">Id of the branch it merges into, or −1 for an essential branch.</param>
/// <param name="Birth">Value at the minimum.</param>
/// <param name="Death">Value at the top node.</param>
public readonly record struct MergeTreeBranch(int Id, int Minimum, int Top, int Parent, double Birth, double Death)
{
    /// <summary>True for the branch of a component's global minimum, which never dies.</summary>
    public bool IsEssential => Parent < 0;

    /// <summary>Death − birth (for an essential branch: the component's maximum minus its minimum).</summary>
    public double Persistence => Death - Birth;
}
