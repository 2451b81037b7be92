using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.MergeTrees;

/// <summary>
/// The sublevel-set merge tree (join tree) of a landscape: minima are leaves, saddles are where components
/// meet, and each connected component of the graph ends at a root (its highest vertex). Immutable.
/// </summary>
/// <remarks>
/// Node ids follow the sweep: minima and saddles in ascending (value, vertex) order, then the roots, so every
/// node's id is greater than the ids of the nodes below it. Branch ids are the components' birth order, so
/// branch 0 is the essential branch of the global minimum. The tree is stored compactly (one up-link per node,
/// three ints per branch); <see cref="Arcs"/> and <see cref="Branches"/> are built on first use.
/// </remarks>
public sealed class MergeTree
{
    private readonly MergeTreeNode[] _nodes;
    private readonly int[] _upNode;
    private readonly int[] _upCount;
    private readonly int[] _branchMinimum;
    private readonly int[] _branchTop;
    private readonly int[] _branchParent;
    private readonly int[] _roots;
    private MergeTreeArc[]? _arcs;
    private MergeTreeBranch[]? _branches;
    private PersistenceDiagram? _diagram;

    /// <param name="vertexCount">Vertices of the landscape.</param>
    /// <param name="nodes">The nodes.</param>
    /// <param name="upNode">Per node (at least as long as <paramref name="nodes"/>): the node above, −1 for a root.</param>
    /// <param name="upCount">Per node: regular vertices on the arc going up.</param>
    /// <param name="branchCount">Number of branches.</param>
    /// <param name="branchMinimum">Per branch: the node of its minimum.</param>
    /// <param name="branchTop">Per branch: the node where it dies, or its root.</param>
    /// <param name="branchParent">Per branch: the branch it merges into, −1 when essential.</param>
    /// <param name="roots">Root nodes.</param>
    /// <param name="landscape">The landscape, when known.</param>
    /// <param name="finiteMinimum">Smallest finite value.</param>
    /// <param name="finiteMaximum">Largest finite value.</param>
    internal MergeTree(
        int vertexCount, MergeTreeNode[] nodes, int[] upNode, int[] upCount,
        int branchCount, int[] branchMinimum, int[] branchTop, int[] branchParent,
        int[] roots, Landscape? landscape, double finiteMinimum, double finiteMaximum)
    {
        VertexCount = vertexCount;
        _nodes = nodes;
        _upNode = upNode;
        _upCount = upCount;
        BranchCount = branchCount;
        _branchMinimum = branchMinimum;
        _branchTop = branchTop;
        _branchParent = branchParent;
        _roots = roots;
        Landscape = landscape;
        FiniteMinimum = finiteMinimum;
        FiniteMaximum = finiteMaximum;
        foreach (MergeTreeNode node in nodes)
        {
            if (node.Kind == MergeTreeNodeKind.Minimum)
            {
                MinimumCount++;
            }
            else if (node.Kind == MergeTreeNodeKind.Saddle)
            {
                SaddleCount++;
            }
        }
    }

    /// <summary>Number of vertices of the landscape (or graph) the tree was built on.</summary>
    public int VertexCount { get; }

    /// <summary>The landscape the tree was built from, when it was built from one; gives node coordinates.</summary>
    public Landscape? Landscape { get; }

    /// <summary>Smallest finite value of the landscape (NaN when no value is finite).</summary>
    public double FiniteMinimum { get; }

    /// <summary>Largest finite value of the landscape (NaN when no value is finite); relative thresholds scale with the range.</summary>
    public double FiniteMaximum { get; }

    /// <summary>All nodes; a node's id is its index here.</summary>
    public ImmutableArray<MergeTreeNode> Nodes => ImmutableCollectionsMarshal.AsImmutableArray(_nodes);

    /// <summary>All arcs, ordered by lower node; every node but a root has exactly one arc going up.</summary>
    public ImmutableArray<MergeTreeArc> Arcs => ImmutableCollectionsMarshal.AsImmutableArray(_arcs ??= BuildArcs());

    /// <summary>The branch decomposition, one branch per minimum, in birth order (branch 0 holds the global minimum).</summary>
    public ImmutableArray<MergeTreeBranch> Branches => ImmutableCollectionsMarshal.AsImmutableArray(_branches ??= BuildBranches());

    /// <summary>Node ids of the roots, one per connected component, in the order of the components' minima.</summary>
    public ImmutableArray<int> Roots => ImmutableCollectionsMarshal.AsImmutableArray(_roots);

    /// <summary>Number of branches (= number of minima).</summary>
    public int BranchCount { get; }

    /// <summary>Number of minima (leaves).</summary>
    public int MinimumCount { get; }

    /// <summary>
    /// Number of distinct saddle vertices. A multi-saddle where k components meet counts once here; it ends
    /// k − 1 branches (see <see cref="PersistenceDiagram.Pairs"/> for that count).
    /// </summary>
    public int SaddleCount { get; }

    internal ReadOnlySpan<MergeTreeNode> NodeSpan => _nodes;

    internal ReadOnlySpan<int> UpNodes => _upNode.AsSpan(0, _nodes.Length);

    internal ReadOnlySpan<int> UpCounts => _upCount.AsSpan(0, _nodes.Length);

    internal ReadOnlySpan<int> BranchMinima => _branchMinimum.AsSpan(0, BranchCount);

    internal ReadOnlySpan<int> BranchTops => _branchTop.AsSpan(0, BranchCount);

    internal ReadOnlySpan<int> BranchParents => _branchParent.AsSpan(0, BranchCount);

    /// <summary>The node above <paramref name="node"/>, or −1 for a root.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="node"/> is not a node id.</exception>
    public int ParentOf(int node)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, _nodes.Length);
        return _upNode[node];
    }

    /// <summary>The arc going up from <paramref name="node"/>, or null for a root.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="node"/> is not a node id.</exception>
    public MergeTreeArc? UpArcOf(int node) => ParentOf(node) < 0 ? null : new MergeTreeArc(node, _upNode[node], _upCount[node]);

    /// <summary>Subspace coordinates of a node's vertex.</summary>
    /// <exception cref="InvalidOperationException">The tree was built from bare values, without a landscape.</exception>
    public double[] GetCoordinates(int node)
    {
        if (Landscape is null)
        {
            throw new InvalidOperationException("This tree was built from bare values; coordinates need a Landscape.");
        }

        return Landscape.GetCoordinates(_nodes[node].Vertex);
    }

    /// <summary>The 0-dimensional persistence diagram: one pair per non-essential branch, plus the essential classes.</summary>
    /// <remarks>Computed on the first call and kept (both are immutable): metrics, summaries and exports share one diagram.</remarks>
    public PersistenceDiagram ToPersistenceDiagram() => _diagram ??= PersistenceDiagram.FromMergeTree(this);

    /// <summary>
    /// Removes every branch whose persistence is below <paramref name="threshold"/> (with all branches hanging
    /// off it) and returns the merge tree of the simplified landscape, as TTK's topological simplification
    /// followed by a merge tree does. A removed branch's vertices join the arc of the branch it merged into,
    /// just below the saddle; saddles left joining a single component become regular vertices.
    /// </summary>
    /// <remarks>Branches that survive keep their pairing: by the elder rule a branch is never more persistent than the branch it merges into.</remarks>
    public MergeTree Simplify(PersistenceThreshold threshold) => MergeTreeSimplifier.Simplify(this, threshold);

    /// <inheritdoc />
    public override string ToString()
        => $"Merge tree: {VertexCount} vertices, {MinimumCount} minima, {SaddleCount} saddles, {_roots.Length} root(s)";

    private MergeTreeArc[] BuildArcs()
    {
        var arcs = new MergeTreeArc[_nodes.Length - _roots.Length];
        int a = 0;
        for (int i = 0; i < _nodes.Length; i++)
        {
            if (_upNode[i] >= 0)
            {
                arcs[a++] = new MergeTreeArc(i, _upNode[i], _upCount[i]);
            }
        }

        return arcs;
    }

    private MergeTreeBranch[] BuildBranches()
    {
        var branches = new MergeTreeBranch[BranchCount];
        for (int b = 0; b < branches.Length; b++)
        {
            int minimum = _branchMinimum[b];
            int top = _branchTop[b];
            branches[b] = new MergeTreeBranch(b, minimum, top, _branchParent[b], _nodes[minimum].Value, _nodes[top].Value);
        }

        return branches;
    }
}
