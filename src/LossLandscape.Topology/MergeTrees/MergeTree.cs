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
/// branch 0 is the essential branch of the global minimum.
/// </remarks>
public sealed class MergeTree
{
    private readonly MergeTreeNode[] _nodes;
    private readonly MergeTreeArc[] _arcs;
    private readonly MergeTreeBranch[] _branches;
    private readonly int[] _roots;
    private readonly int[] _upArc;

    internal MergeTree(int vertexCount, MergeTreeNode[] nodes, MergeTreeArc[] arcs, MergeTreeBranch[] branches, int[] roots, Landscape? landscape, double finiteMinimum, double finiteMaximum)
    {
        FiniteMinimum = finiteMinimum;
        FiniteMaximum = finiteMaximum;
        VertexCount = vertexCount;
        _nodes = nodes;
        _arcs = arcs;
        _branches = branches;
        _roots = roots;
        Landscape = landscape;
        _upArc = new int[nodes.Length];
        Array.Fill(_upArc, -1);
        for (int a = 0; a < arcs.Length; a++)
        {
            _upArc[arcs[a].Lower] = a;
        }

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

    /// <summary>All nodes; <c>Nodes[i].Id == i</c>.</summary>
    public ImmutableArray<MergeTreeNode> Nodes => ImmutableCollectionsMarshal.AsImmutableArray(_nodes);

    /// <summary>All arcs, ordered by lower node; every node but a root has exactly one arc going up.</summary>
    public ImmutableArray<MergeTreeArc> Arcs => ImmutableCollectionsMarshal.AsImmutableArray(_arcs);

    /// <summary>The branch decomposition, one branch per minimum, in birth order (branch 0 holds the global minimum).</summary>
    public ImmutableArray<MergeTreeBranch> Branches => ImmutableCollectionsMarshal.AsImmutableArray(_branches);

    /// <summary>Node ids of the roots, one per connected component, in the order of the components' minima.</summary>
    public ImmutableArray<int> Roots => ImmutableCollectionsMarshal.AsImmutableArray(_roots);

    /// <summary>Smallest finite value of the landscape (NaN when no value is finite).</summary>
    public double FiniteMinimum { get; }

    /// <summary>Largest finite value of the landscape (NaN when no value is finite); relative thresholds scale with the range.</summary>
    public double FiniteMaximum { get; }

    /// <summary>Number of minima (leaves).</summary>
    public int MinimumCount { get; }

    /// <summary>
    /// Number of distinct saddle vertices. A multi-saddle where k components meet counts once here; it ends
    /// k − 1 branches (see <see cref="PersistenceDiagram.Pairs"/> for that count).
    /// </summary>
    public int SaddleCount { get; }

    /// <summary>The node above <paramref name="node"/>, or −1 for a root.</summary>
    public int ParentOf(int node) => _upArc[node] < 0 ? -1 : _arcs[_upArc[node]].Upper;

    /// <summary>The arc going up from <paramref name="node"/>, or null for a root.</summary>
    public MergeTreeArc? UpArcOf(int node) => _upArc[node] < 0 ? null : _arcs[_upArc[node]];

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
    public PersistenceDiagram ToPersistenceDiagram() => PersistenceDiagram.FromMergeTree(this);

    /// <summary>
    /// Removes every branch whose persistence is below <paramref name="threshold"/> (with all branches hanging
    /// off it) and returns the merge tree of the simplified landscape, as TTK's topological simplification
    /// followed by a merge tree does. A removed branch's vertices join the arc of the branch it merged into,
    /// just below the saddle; saddles left joining a single component become regular vertices.
    /// </summary>
    /// <remarks>Branches that survive keep their pairing: by the elder rule a branch is never more persistent than the branch it merges into.</remarks>
    public MergeTree Simplify(PersistenceThreshold threshold) => MergeTreeSimplifier.Simplify(this, threshold);

    internal ReadOnlySpan<MergeTreeNode> NodeSpan => _nodes;

    internal ReadOnlySpan<MergeTreeArc> ArcSpan => _arcs;

    internal ReadOnlySpan<MergeTreeBranch> BranchSpan => _branches;

    internal ReadOnlySpan<int> UpArcSpan => _upArc;

    /// <inheritdoc />
    public override string ToString()
        => $"Merge tree: {VertexCount} vertices, {MinimumCount} minima, {SaddleCount} saddles, {_roots.Length} root(s)";
}
