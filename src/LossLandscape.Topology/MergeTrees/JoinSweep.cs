using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
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
    private StructList<int> _nodeVertex;
    private StructList<Arc> _arcs;

    // Per component c (= per minimum = per branch).
    private StructList<int> _minimumNode;
    private StructList<Component> _components;
    private int _aliveCount;

    // When set (the tiled build's reduced sweep), what later phases need, written as the sweep goes.
    private SweepRecord? _record;
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
        _nodeVertex = new StructList<int>(2 * capacity);
        _arcs = new StructList<Arc>(2 * capacity);
        _minimumNode = new StructList<int>(capacity);
        _components = new StructList<Component>(capacity);
    }

    public unsafe void Run<TNeighborhood>(ReadOnlySpan<int> order, TNeighborhood neighborhood, int maxDegree)
        where TNeighborhood : struct, ISweepNeighborhood
    {
        // The visit order jumps across the whole array, so the entries of upcoming vertices' neighbours are
        // prefetched this many steps ahead: their cache misses then overlap instead of stalling one by one.
        // Explicit graphs take three steps: the row start, then the row, then the neighbours' entries. Where the rows
        // are cheap to read again (the tiled build's reduced graph, whose lookups all miss the caches), two more steps
        // follow: the entries' parents or components, then those components' open arcs.
        const int PrefetchDistance = 12;
        const int EarlyPrefetchDistance = 2 * PrefetchDistance;
        const int EarliestPrefetchDistance = 3 * PrefetchDistance;
        const int ParentPrefetchDistance = PrefetchDistance / 2;
        const int ArcPrefetchDistance = PrefetchDistance / 4;
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

                if (neighborhood.PrefetchesParents && Sse.IsSupported && r + ParentPrefetchDistance < order.Length)
                {
                    PrefetchParents(statePointer, neighborhood.Fill(order[r + ParentPrefetchDistance], neighbors), neighbors);
                }

                if (neighborhood.PrefetchesParents && Sse.IsSupported && r + ArcPrefetchDistance < order.Length)
                {
                    PrefetchOpenArcs(state, neighborhood.Fill(order[r + ArcPrefetchDistance], neighbors), neighbors);
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
                        _components[component].OpenCount++; // one more regular vertex on the open arc
                        if (_arcOf is not null)
                        {
                            _arcOf[v] = _components[component].OpenArcLower;
                        }

                        break;
                    default:
                        MergeAt(v, roots[..rootCount]);
                        break;
                }
            }
        }
    }

    /// <summary>
    /// Hints the loads one level past the neighbours' entries (prefetched earlier): a non-root's parent entry, a root's
    /// component. In the reduced sweep of the tiled build these are scattered over arrays larger than the caches.
    /// </summary>
    private unsafe void PrefetchParents(int* state, int count, ReadOnlySpan<int> neighbors)
    {
        ref Component components = ref MemoryMarshal.GetArrayDataReference(_components.Array);
        for (int e = 0; e < count; e++)
        {
            int p = state[neighbors[e]];
            if (p >= 0)
            {
                Sse.Prefetch0(state + p);
            }
            else if (p != Unvisited)
            {
                // A hint only: an address that is stale (the list grew since) cannot fault.
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref components, -p - 2)));
            }
        }
    }

    /// <summary>
    /// Hints the loads a merge makes last: the open arc of each neighbour's component (its entry among the arcs and, in
    /// the reduced sweep, the record's), found through entries the earlier hints brought in.
    /// </summary>
    private unsafe void PrefetchOpenArcs(int[] state, int count, ReadOnlySpan<int> neighbors)
    {
        Component[] components = _components.Array;
        for (int e = 0; e < count; e++)
        {
            int p = state[neighbors[e]];
            if (p >= 0)
            {
                p = state[p];
            }

            int c = -p - 2;
            if (p < Unvisited && (uint)c < (uint)_components.Count)
            {
                int lower = components[c].OpenArcLower;
                Sse.Prefetch0(Unsafe.AsPointer(ref _arcs.Array[lower]));
                if (_record is not null)
                {
                    Sse.Prefetch0(Unsafe.AsPointer(ref _record.Upper[lower]));
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

    /// <summary>Makes the sweep write down, as it goes, what <paramref name="record"/> holds.</summary>
    internal void Record(SweepRecord record)
    {
        _record = record;
        _arcOf = record.ArcOf;
    }

    /// <summary>The node count so far (before <see cref="Close"/> adds the roots).</summary>
    internal int NodeCount => _nodeVertex.Count;


    /// <summary>Per node, its vertex.</summary>
    internal int[] NodeVertices => _nodeVertex.Array;

    /// <summary>Branches (components) so far.</summary>
    internal int BranchCount => _minimumNode.Count;

    /// <summary>Per branch, its minimum's node.</summary>
    internal int[] MinimumNodes => _minimumNode.Array;

    /// <summary>Per branch, the saddle where it died (−1 while alive).</summary>
    internal int[] BranchTops() => Column(_components.AsSpan(), static c => c.BranchTop);

    /// <summary>Per branch, the branch it merged into (−1 while alive).</summary>
    internal int[] BranchParents() => Column(_components.AsSpan(), static c => c.BranchParent);

    /// <summary>
    /// Renames every node's vertex through <paramref name="vertexOf"/>: the tiled build sweeps a reduced graph whose
    /// vertices are numbered in sweep order, and its tree speaks of the grid's vertices.
    /// </summary>
    internal void RenameVertices(ReadOnlySpan<int> vertexOf)
    {
        _record = null; // the record speaks of swept vertices; nothing after this adds to it
        _arcOf = null;
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
            if (_components[c].BranchTop < 0)
            {
                _components[c].OpenCount += extra[_components[c].OpenArcLower];
            }
        }

        for (int a = 0; a < _nodeVertex.Count; a++)
        {
            if (_arcs[a].UpNode >= 0)
            {
                _arcs[a].UpCount += extra[a];
            }
        }
    }

    /// <summary>Closes the one surviving component of a connected graph at <paramref name="top"/>, its highest vertex.</summary>
    /// <exception cref="InvalidOperationException">More or fewer than one component survived.</exception>
    /// <param name="top">The graph's highest vertex.</param>
    /// <param name="vertexCount">The graph's vertices.</param>
    /// <param name="values">The values, for the nodes' values.</param>
    /// <param name="nanIsInfinity">Whether NaN reads as +∞.</param>
    /// <param name="landscape">The landscape, when known.</param>
    /// <param name="finiteRange">The values' finite range when already known (<see cref="FiniteRange(ReadOnlySpan{double})"/>).</param>
    internal MergeTree FinishConnected(int top, int vertexCount, ReadOnlySpan<double> values, bool nanIsInfinity, Landscape? landscape, (double Minimum, double Maximum)? finiteRange = null)
    {
        if (_aliveCount != 1)
        {
            throw new InvalidOperationException($"The tiled sweep expects a connected grid but {_aliveCount} components survived.");
        }

        int alive = 0;
        while (_components[alive].BranchTop >= 0)
        {
            alive++;
        }

        return Close(new Dictionary<int, int> { [alive] = top }, vertexCount, values, nanIsInfinity, landscape, finiteRange);
    }

    private MergeTree Close(Dictionary<int, int> topOf, int vertexCount, ReadOnlySpan<double> values, bool nanIsInfinity, Landscape? landscape, (double Minimum, double Maximum)? finiteRange = null)
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

            int lower = _components[c].OpenArcLower;
            int rootNode;
            if (_nodeVertex[lower] == top)
            {
                rootNode = lower; // the top vertex is already a node (a saddle, or an isolated minimum)
            }
            else
            {
                rootNode = AddNode(top);
                addedRoots.Add(rootNode);
                AddArc(lower, rootNode, _components[c].OpenCount - 1); // the top was counted as regular
            }

            _components[c].BranchTop = rootNode;
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

        (double low, double high) = finiteRange ?? FiniteRange(values);
        return new MergeTree(
            vertexCount, nodes, Column(_arcs.AsSpan(), static a => a.UpNode), Column(_arcs.AsSpan(), static a => a.UpCount),
            _minimumNode.Count, _minimumNode.Array, BranchTops(), BranchParents(),
            roots, landscape, low, high);
    }

    private static int[] Column<T>(ReadOnlySpan<T> items, Func<T, int> field)
    {
        var column = new int[items.Length];
        for (int i = 0; i < column.Length; i++)
        {
            column[i] = field(items[i]);
        }

        return column;
    }

    internal static (double Minimum, double Maximum) FiniteRange(ReadOnlySpan<double> values)
    {
        // TensorPrimitives' vectorised minimum and maximum are the finite range unless a NaN or an infinity is among
        // the values; only then does the scalar loop below skip them one by one.
        if (!values.IsEmpty)
        {
            double lowest = System.Numerics.Tensors.TensorPrimitives.Min(values);
            double highest = System.Numerics.Tensors.TensorPrimitives.Max(values);
            if (double.IsFinite(lowest) && double.IsFinite(highest))
            {
                return (lowest, highest);
            }
        }

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
        _components.Add(new Component { OpenArcLower = node, OpenCount = 0, BranchTop = -1, BranchParent = -1 });
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
            AddArc(_components[c].OpenArcLower, saddle, _components[c].OpenCount);
            if (c != eldest)
            {
                _components[c].BranchTop = saddle;
                _components[c].BranchParent = eldest;
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

        _components[eldest].OpenArcLower = saddle; // a new arc opens at the saddle
        _components[eldest].OpenCount = 0;
    }

    private int AddNode(int vertex)
    {
        if (_record is not null)
        {
            _record.NodeKey[_nodeVertex.Count] = _record.Keys[vertex];
        }

        _arcs.Add(new Arc { UpNode = -1, UpCount = 0 });
        return _nodeVertex.Add(vertex);
    }

    private void AddArc(int lower, int upper, int count)
    {
        if (_record is not null)
        {
            int vertex = _nodeVertex[upper];
            _record.Upper[lower] = (_record.Keys[vertex], _record.Vertices[vertex]);
        }

        _arcs[lower].UpNode = upper;
        _arcs[lower].UpCount = count;
    }

    /// <summary>A node's arc going up: the node above (−1 while open) and the regular vertices on it; kept together, as the sweep writes both at once.</summary>
    private struct Arc
    {
        public int UpNode;
        public int UpCount;
    }

    /// <summary>
    /// A component's state: its open arc (lower node, regular vertices so far) and, once it dies, where and into which
    /// branch. One struct, so that a merge touches one cache line per component instead of four.
    /// </summary>
    private struct Component
    {
        public int OpenArcLower;
        public int OpenCount;
        public int BranchTop;
        public int BranchParent;
    }
}
