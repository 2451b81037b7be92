using LossLandscape.Topology.Graphs;

namespace LossLandscape.Topology.MergeTrees;

/// <summary>
/// The sublevel-set sweep: visits vertices in (value, index) order and tracks the components of the visited
/// set with a flat union-find (path halving). The root of each component is its minimum vertex, so the elder
/// rule needs no comparison: components are numbered in birth order and the oldest has the smallest number.
/// </summary>
/// <remarks>
/// <c>parent[v]</c> is −1 while v is unvisited, the parent vertex (≥ 0) for a non-root, and −(c + 2) for the
/// root of component c. Per-component state lives in arrays indexed by c (one component per minimum), so the
/// only per-vertex memory is <c>parent</c>.
/// </remarks>
internal sealed class JoinSweep
{
    private const int Unvisited = -1;

    private readonly int[] _parent;

    // Nodes, in creation order (ascending (value, index) order, roots last).
    private IntList _nodeVertex;
    private IntList _nodeKind;

    private IntList _arcLower;
    private IntList _arcUpper;
    private IntList _arcCount;

    // Per component c (= per minimum = per branch).
    private IntList _minimumNode;
    private IntList _openArcLower;
    private IntList _openArcCount;
    private IntList _lastVertex;
    private IntList _branchTop;
    private IntList _branchParent;

    private IntList _roots;

    public JoinSweep(int[] parent, int expectedMinima)
    {
        _parent = parent;
        Array.Fill(parent, Unvisited);
        int capacity = Math.Max(4, expectedMinima);
        _nodeVertex = new IntList(2 * capacity);
        _nodeKind = new IntList(2 * capacity);
        _arcLower = new IntList(2 * capacity);
        _arcUpper = new IntList(2 * capacity);
        _arcCount = new IntList(2 * capacity);
        _minimumNode = new IntList(capacity);
        _openArcLower = new IntList(capacity);
        _openArcCount = new IntList(capacity);
        _lastVertex = new IntList(capacity);
        _branchTop = new IntList(capacity);
        _branchParent = new IntList(capacity);
        _roots = new IntList(4);
    }

    public void Run<TNeighborhood>(ReadOnlySpan<int> order, TNeighborhood neighborhood, int maxDegree)
        where TNeighborhood : struct, INeighborhood
    {
        int[] parent = _parent;
        Span<int> neighbors = maxDegree <= 64 ? stackalloc int[64] : new int[maxDegree];
        Span<int> roots = maxDegree <= 64 ? stackalloc int[64] : new int[maxDegree];
        foreach (int v in order)
        {
            int count = neighborhood.Fill(v, neighbors);
            int rootCount = 0;
            for (int e = 0; e < count; e++)
            {
                int n = neighbors[e];
                if (parent[n] == Unvisited)
                {
                    continue; // higher in the order: not yet in the sublevel set
                }

                int r = Find(parent, n);
                if (!roots[..rootCount].Contains(r))
                {
                    roots[rootCount++] = r;
                }
            }

            switch (rootCount)
            {
                case 0:
                    BirthAt(v);
                    break;
                case 1:
                    int root = roots[0];
                    int c = -parent[root] - 2;
                    parent[v] = root;
                    _openArcCount[c]++;
                    _lastVertex[c] = v;
                    break;
                default:
                    MergeAt(v, roots[..rootCount]);
                    break;
            }
        }
    }

    /// <summary>Closes every surviving component at its highest vertex and returns the tree.</summary>
    public MergeTree Finish(ReadOnlySpan<double> values, bool nanIsInfinity, Landscapes.Landscape? landscape)
    {
        for (int c = 0; c < _minimumNode.Count; c++)
        {
            if (_branchTop[c] >= 0)
            {
                continue;
            }

            int top = _lastVertex[c];
            int lower = _openArcLower[c];
            int rootNode;
            if (_nodeVertex[lower] == top)
            {
                rootNode = lower; // the top vertex is already a node (a saddle, or an isolated minimum)
            }
            else
            {
                rootNode = AddNode(top, MergeTreeNodeKind.Root);
                AddArc(lower, rootNode, _openArcCount[c] - 1); // the top was counted as regular
            }

            _branchTop[c] = rootNode;
            _roots.Add(rootNode);
        }

        var nodes = new MergeTreeNode[_nodeVertex.Count];
        for (int i = 0; i < nodes.Length; i++)
        {
            int v = _nodeVertex[i];
            nodes[i] = new MergeTreeNode(i, (MergeTreeNodeKind)_nodeKind[i], v, ValueOf(values, v, nanIsInfinity));
        }

        // Arcs are listed by lower node (each node has at most one arc going up), a canonical order that does
        // not depend on the order in which a graph lists neighbours.
        var arcs = new MergeTreeArc[_arcLower.Count];
        int[] lowers = _arcLower.AsSpan().ToArray();
        for (int i = 0; i < arcs.Length; i++)
        {
            arcs[i] = new MergeTreeArc(_arcLower[i], _arcUpper[i], _arcCount[i]);
        }

        Array.Sort(lowers, arcs);

        var branches = new MergeTreeBranch[_minimumNode.Count];
        for (int c = 0; c < branches.Length; c++)
        {
            int minimum = _minimumNode[c];
            int top = _branchTop[c];
            branches[c] = new MergeTreeBranch(c, minimum, top, _branchParent[c], nodes[minimum].Value, nodes[top].Value);
        }

        (double low, double high) = FiniteRange(values);
        return new MergeTree(_parent.Length, nodes, arcs, branches, _roots.AsSpan().ToArray(), landscape, low, high);
    }

    internal static (double Minimum, double Maximum) FiniteRange(ReadOnlySpan<double> values)
    {
        double low = double.PositiveInfinity;
        double high = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                low = Math.Min(low, v);
                high = Math.Max(high, v);
            }
        }

        return low <= high ? (low, high) : (double.NaN, double.NaN);
    }

    internal static double ValueOf(ReadOnlySpan<double> values, int vertex, bool nanIsInfinity)
    {
        double value = values[vertex];
        return nanIsInfinity && double.IsNaN(value) ? double.PositiveInfinity : value;
    }

    private static int Find(int[] parent, int x)
    {
        while (true)
        {
            int p = parent[x];
            if (p < 0)
            {
                return x;
            }

            int grandparent = parent[p];
            if (grandparent < 0)
            {
                return p;
            }

            parent[x] = grandparent; // path halving
            x = grandparent;
        }
    }

    private void BirthAt(int v)
    {
        int node = AddNode(v, MergeTreeNodeKind.Minimum);
        int c = _minimumNode.Add(node);
        _openArcLower.Add(node);
        _openArcCount.Add(0);
        _lastVertex.Add(v);
        _branchTop.Add(-1);
        _branchParent.Add(-1);
        _parent[v] = -(c + 2);
    }

    private void MergeAt(int v, ReadOnlySpan<int> roots)
    {
        int[] parent = _parent;
        int eldestRoot = roots[0];
        int eldest = -parent[eldestRoot] - 2;
        foreach (int r in roots[1..])
        {
            int c = -parent[r] - 2;
            if (c < eldest)
            {
                eldest = c;
                eldestRoot = r;
            }
        }

        int saddle = AddNode(v, MergeTreeNodeKind.Saddle);
        foreach (int r in roots)
        {
            int c = -parent[r] - 2;
            AddArc(_openArcLower[c], saddle, _openArcCount[c]);
            if (c != eldest)
            {
                _branchTop[c] = saddle;
                _branchParent[c] = eldest;
            }
        }

        foreach (int r in roots)
        {
            if (r != eldestRoot)
            {
                parent[r] = eldestRoot;
            }
        }

        parent[v] = eldestRoot;
        _openArcLower[eldest] = saddle;
        _openArcCount[eldest] = 0;
        _lastVertex[eldest] = v;
    }

    private int AddNode(int vertex, MergeTreeNodeKind kind)
    {
        _nodeKind.Add((int)kind);
        return _nodeVertex.Add(vertex);
    }

    private void AddArc(int lower, int upper, int count)
    {
        _arcLower.Add(lower);
        _arcUpper.Add(upper);
        _arcCount.Add(count);
    }
}
