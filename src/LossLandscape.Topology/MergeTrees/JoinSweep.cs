using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.MergeTrees;

/// <summary>
/// The sublevel-set sweep: visits vertices in (value, index) order and tracks the components of the visited
/// set with a flat union-find (path halving). The root of each component is its minimum vertex, so the elder
/// rule needs no comparison: components are numbered in birth order and the oldest has the smallest number.
/// </summary>
/// <remarks>
/// One int per vertex: −1 while the vertex is unvisited, its parent (≥ 0) once it is a non-root, and −(c + 2)
/// for the root of component c. Per-component state (the open arc and how many regular vertices it holds)
/// lives in lists indexed by c: there is one component per minimum, so those lists are several times smaller
/// than the per-vertex array and stay in cache while the sweep jumps around the grid.
/// </remarks>
internal sealed class JoinSweep
{
    private const int Unvisited = -1;

    private readonly int[] _state;
    private readonly int _vertexCount;

    // Nodes, in creation order (ascending (value, index) order, roots last), each with its arc going up
    // (every node but a root has exactly one): the upper node (−1 for none) and the regular vertices on it.
    private IntList _nodeVertex;
    private IntList _upNode;
    private IntList _upCount;

    // Per component c (= per minimum = per branch).
    private IntList _minimumNode;
    private IntList _openArcLower;
    private IntList _openCount;
    private IntList _branchTop;
    private IntList _branchParent;
    private int _aliveCount;

    // When set (the tiled build's reduced sweep), the node whose upward arc holds each vertex: the vertex's own
    // node for a minimum or saddle, the open arc's lower node for a regular vertex.
    private int[]? _arcOf;

    /// <param name="state">Scratch of at least <paramref name="vertexCount"/> entries; overwritten.</param>
    /// <param name="vertexCount">Number of vertices.</param>
    /// <param name="expectedMinima">Initial capacity of the per-component lists.</param>
    public JoinSweep(int[] state, int vertexCount, int expectedMinima)
    {
        _state = state;
        _vertexCount = vertexCount;
        state.AsSpan(0, vertexCount).Fill(Unvisited);
        int capacity = Math.Max(4, expectedMinima);
        _nodeVertex = new IntList(2 * capacity);
        _upNode = new IntList(2 * capacity);
        _upCount = new IntList(2 * capacity);
        _minimumNode = new IntList(capacity);
        _openArcLower = new IntList(capacity);
        _openCount = new IntList(capacity);
        _branchTop = new IntList(capacity);
        _branchParent = new IntList(capacity);
    }

    public unsafe void Run<TNeighborhood>(ReadOnlySpan<int> order, TNeighborhood neighborhood, int maxDegree)
        where TNeighborhood : struct, ISweepNeighborhood
    {
        // The visit order jumps across the whole array, so the entries of upcoming vertices' neighbours are
        // prefetched this many steps ahead: their cache misses then overlap instead of stalling one by one.
        // Explicit graphs take three steps: the row start, then the row, then the neighbours' entries.
        const int PrefetchDistance = 12;
        const int EarlyPrefetchDistance = 2 * PrefetchDistance;
        const int EarliestPrefetchDistance = 3 * PrefetchDistance;
        int[] state = _state;
        Span<int> neighbors = maxDegree <= 64 ? stackalloc int[64] : new int[maxDegree];
        Span<int> roots = maxDegree <= 64 ? stackalloc int[64] : new int[maxDegree];
        fixed (int* statePointer = state)
        {
            for (int r = 0; r < order.Length; r++)
            {
                if (r + EarliestPrefetchDistance < order.Length)
                {
                    neighborhood.PrefetchEarliest(order[r + EarliestPrefetchDistance]);
                }

                if (r + EarlyPrefetchDistance < order.Length)
                {
                    neighborhood.PrefetchEarly(order[r + EarlyPrefetchDistance]);
                }

                if (r + PrefetchDistance < order.Length)
                {
                    neighborhood.Prefetch(statePointer, order[r + PrefetchDistance]);
                }

                int v = order[r];
                int count = neighborhood.Fill(v, neighbors);
                int rootCount = 0;
                for (int e = 0; e < count; e++)
                {
                    int n = neighbors[e];
                    if (state[n] == Unvisited)
                    {
                        continue; // higher in the order: not yet in the sublevel set
                    }

                    int root = Find(state, n);
                    if (!roots[..rootCount].Contains(root))
                    {
                        roots[rootCount++] = root;
                    }
                }

                switch (rootCount)
                {
                    case 0:
                        BirthAt(v);
                        break;
                    case 1:
                        int single = roots[0];
                        state[v] = single;
                        int component = -state[single] - 2;
                        _openCount[component]++; // one more regular vertex on the open arc
                        if (_arcOf is not null)
                        {
                            _arcOf[v] = _openArcLower[component];
                        }

                        break;
                    default:
                        MergeAt(v, roots[..rootCount]);
                        break;
                }
            }
        }
    }

    /// <summary>Closes every surviving component at its highest vertex and returns the tree.</summary>
    public MergeTree Finish(ReadOnlySpan<int> order, ReadOnlySpan<double> values, bool nanIsInfinity, Landscape? landscape)
    {
        // The top of a surviving component is the last vertex of the order that belongs to it; for a connected
        // graph that is simply the last vertex.
        int topsToFind = _aliveCount;
        var topOf = new Dictionary<int, int>();
        for (int r = order.Length - 1; r >= 0 && topsToFind > 0; r--)
        {
            int root = Find(_state, order[r]);
            int c = -_state[root] - 2;
            if (topOf.TryAdd(c, order[r]))
            {
                topsToFind--;
            }
        }

        return Close(topOf, _vertexCount, values, nanIsInfinity, landscape);
    }

    /// <summary>Makes the sweep record, per vertex, the node whose upward arc holds it (see <see cref="_arcOf"/>).</summary>
    internal void RecordArcs(int[] arcOf) => _arcOf = arcOf;

    /// <summary>The node count so far (before <see cref="Close"/> adds the roots).</summary>
    internal int NodeCount => _nodeVertex.Count;

    /// <summary>Per node, the node above (−1 while its arc is still open).</summary>
    internal int[] UpNodes => _upNode.Array;

    /// <summary>Per node, its vertex.</summary>
    internal int[] NodeVertices => _nodeVertex.Array;

    /// <summary>Branches (components) so far.</summary>
    internal int BranchCount => _minimumNode.Count;

    /// <summary>Per branch, its minimum's node.</summary>
    internal int[] MinimumNodes => _minimumNode.Array;

    /// <summary>Per branch, the saddle where it died (−1 while alive).</summary>
    internal int[] BranchTops => _branchTop.Array;

    /// <summary>Per branch, the branch it merged into (−1 while alive).</summary>
    internal int[] BranchParents => _branchParent.Array;

    /// <summary>
    /// Renames every node's vertex through <paramref name="vertexOf"/>: the tiled build sweeps a reduced graph whose
    /// vertices are numbered in sweep order, and its tree speaks of the grid's vertices.
    /// </summary>
    internal void RenameVertices(ReadOnlySpan<int> vertexOf)
    {
        Span<int> vertices = _nodeVertex.Array.AsSpan(0, _nodeVertex.Count);
        for (int i = 0; i < vertices.Length; i++)
        {
            vertices[i] = vertexOf[vertices[i]];
        }
    }

    /// <summary>
    /// Adds <paramref name="extra"/>[a] regular vertices to the arc going up from each node a: to the closed arc's
    /// count, or to the open arc of the component whose arc starts at a.
    /// </summary>
    internal void AddRegularVertices(ReadOnlySpan<int> extra)
    {
        for (int c = 0; c < _minimumNode.Count; c++)
        {
            if (_branchTop[c] < 0)
            {
                _openCount[c] += extra[_openArcLower[c]];
            }
        }

        for (int a = 0; a < _nodeVertex.Count; a++)
        {
            if (_upNode[a] >= 0)
            {
                _upCount[a] += extra[a];
            }
        }
    }

    /// <summary>Closes the one surviving component of a connected graph at <paramref name="top"/>, its highest vertex.</summary>
    /// <exception cref="InvalidOperationException">More or fewer than one component survived.</exception>
    internal MergeTree FinishConnected(int top, int vertexCount, ReadOnlySpan<double> values, bool nanIsInfinity, Landscape? landscape)
    {
        if (_aliveCount != 1)
        {
            throw new InvalidOperationException($"The tiled sweep expects a connected grid but {_aliveCount} components survived.");
        }

        int alive = 0;
        while (_branchTop[alive] >= 0)
        {
            alive++;
        }

        return Close(new Dictionary<int, int> { [alive] = top }, vertexCount, values, nanIsInfinity, landscape);
    }

    private MergeTree Close(Dictionary<int, int> topOf, int vertexCount, ReadOnlySpan<double> values, bool nanIsInfinity, Landscape? landscape)
    {
        var roots = new int[topOf.Count];
        var addedRoots = new List<int>(topOf.Count);
        int rootIndex = 0;
        for (int c = 0; c < _minimumNode.Count; c++)
        {
            if (!topOf.TryGetValue(c, out int top))
            {
                continue;
            }

            int lower = _openArcLower[c];
            int rootNode;
            if (_nodeVertex[lower] == top)
            {
                rootNode = lower; // the top vertex is already a node (a saddle, or an isolated minimum)
            }
            else
            {
                rootNode = AddNode(top);
                addedRoots.Add(rootNode);
                AddArc(lower, rootNode, _openCount[c] - 1); // the top was counted as regular
            }

            _branchTop[c] = rootNode;
            roots[rootIndex++] = rootNode;
        }

        // Kinds follow from the lists: minima are the components' first nodes, roots are the nodes just added
        // at the tops (a top that is already a saddle or a minimum keeps its kind), every other node is a saddle.
        var nodes = new MergeTreeNode[_nodeVertex.Count];
        for (int i = 0; i < nodes.Length; i++)
        {
            int v = _nodeVertex[i];
            nodes[i] = new MergeTreeNode(MergeTreeNodeKind.Saddle, v, ValueOf(values, v, nanIsInfinity));
        }

        foreach (int node in addedRoots)
        {
            nodes[node] = nodes[node] with { Kind = MergeTreeNodeKind.Root };
        }

        foreach (int node in _minimumNode.AsSpan())
        {
            nodes[node] = nodes[node] with { Kind = MergeTreeNodeKind.Minimum };
        }

        (double low, double high) = FiniteRange(values);
        return new MergeTree(
            vertexCount, nodes, _upNode.Array, _upCount.Array,
            _minimumNode.Count, _minimumNode.Array, _branchTop.Array, _branchParent.Array,
            roots, landscape, low, high);
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

    /// <summary>The root of <paramref name="x"/> in a union-find whose roots hold negative entries, halving the path on the way.</summary>
    internal static int Find(int[] state, int x)
    {
        while (true)
        {
            int p = state[x];
            if (p < 0)
            {
                return x;
            }

            int grandparent = state[p];
            if (grandparent < 0)
            {
                return p;
            }

            state[x] = grandparent; // path halving
            x = grandparent;
        }
    }

    private void BirthAt(int v)
    {
        int node = AddNode(v);
        int c = _minimumNode.Add(node);
        _openArcLower.Add(node);
        _branchTop.Add(-1);
        _branchParent.Add(-1);
        _openCount.Add(0);
        _aliveCount++;
        _state[v] = -(c + 2);
        if (_arcOf is not null)
        {
            _arcOf[v] = node;
        }
    }

    private void MergeAt(int v, ReadOnlySpan<int> roots)
    {
        int[] state = _state;
        int eldestRoot = roots[0];
        int eldest = -state[eldestRoot] - 2;
        foreach (int r in roots[1..])
        {
            int c = -state[r] - 2;
            if (c < eldest)
            {
                eldest = c;
                eldestRoot = r;
            }
        }

        int saddle = AddNode(v);
        foreach (int r in roots)
        {
            int c = -state[r] - 2;
            AddArc(_openArcLower[c], saddle, _openCount[c]);
            if (c != eldest)
            {
                _branchTop[c] = saddle;
                _branchParent[c] = eldest;
                _aliveCount--;
            }
        }

        foreach (int r in roots)
        {
            if (r != eldestRoot)
            {
                state[r] = eldestRoot;
            }
        }

        state[v] = eldestRoot;
        if (_arcOf is not null)
        {
            _arcOf[v] = saddle;
        }

        _openArcLower[eldest] = saddle; // a new arc opens at the saddle
        _openCount[eldest] = 0;
    }

    private int AddNode(int vertex)
    {
        _upNode.Add(-1);
        _upCount.Add(0);
        return _nodeVertex.Add(vertex);
    }

    private void AddArc(int lower, int upper, int count)
    {
        _upNode[lower] = upper;
        _upCount[lower] = count;
    }
}
