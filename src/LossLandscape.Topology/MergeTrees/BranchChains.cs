namespace LossLandscape.Topology.MergeTrees;

/// <summary>
/// The nodes of a swept (not yet closed) tree grouped by the branch that continues through them, each branch's in
/// (value, index) order: its minimum, then the saddles where it absorbed younger branches. Finds the arc that holds a
/// vertex above a known arc by galloping along branches instead of stepping node by node, which matters on random
/// fields: the branch of the global minimum absorbs a large share of all saddles, and stepping along it would touch
/// tens of nodes, scattered over memory, for every search.
/// </summary>
internal sealed class BranchChains
{
    private readonly int[] _chainStart;
    private readonly ulong[] _chainKey;
    private readonly int[] _chainVertex;
    private readonly int[] _chainNode;
    private readonly int[] _position;
    private readonly int[] _branchOf;
    private readonly int[] _branchTop;
    private readonly int[] _branchParent;

    public BranchChains(JoinSweep sweep, SweepRecord record)
    {
        NodeCount = sweep.NodeCount;
        int branches = sweep.BranchCount;
        _branchTop = sweep.BranchTops();
        _branchParent = sweep.BranchParents();

        // The branch through each node: a minimum's own, a saddle's surviving one (the parent of any branch dying there).
        _branchOf = new int[NodeCount];
        int[] minimumNodes = sweep.MinimumNodes;
        for (int c = 0; c < branches; c++)
        {
            _branchOf[minimumNodes[c]] = c;
            if (_branchTop[c] >= 0)
            {
                _branchOf[_branchTop[c]] = _branchParent[c];
            }
        }

        _chainStart = new int[branches + 1];
        foreach (int c in _branchOf)
        {
            _chainStart[c + 1]++;
        }

        for (int c = 0; c < branches; c++)
        {
            _chainStart[c + 1] += _chainStart[c];
        }

        var fill = _chainStart.AsSpan(0, branches).ToArray();
        _chainKey = new ulong[NodeCount];
        _chainVertex = new int[NodeCount];
        _chainNode = new int[NodeCount];
        _position = new int[NodeCount];
        for (int a = 0; a < NodeCount; a++)
        {
            int p = fill[_branchOf[a]]++; // node ids ascend with (value, index), so each chain comes out in order
            _chainKey[p] = record.NodeKey[a];
            _chainVertex[p] = sweep.NodeVertices[a];
            _chainNode[p] = a;
            _position[a] = p;
        }
    }

    public int NodeCount { get; }

    /// <summary>
    /// The node whose upward arc holds the vertex with <paramref name="key"/> and index <paramref name="vertex"/>,
    /// given a node <paramref name="arc"/> below it on the same upward path.
    /// </summary>
    public int ArcSpanning(int arc, ulong key, int vertex)
    {
        int c = _branchOf[arc];
        int p = _position[arc];
        while (true)
        {
            // Gallop along the branch to the last node before the vertex.
            int end = _chainStart[c + 1];
            int bound = 1;
            while (p + bound < end && Before(p + bound, key, vertex))
            {
                bound <<= 1;
            }

            int lo = p + (bound >> 1), hi = Math.Min(p + bound, end);
            while (hi - lo > 1)
            {
                int mid = (lo + hi) >>> 1;
                if (Before(mid, key, vertex))
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            p = lo;
            int top = _branchTop[c];
            if (p == end - 1 && top >= 0 && Before(_position[top], key, vertex))
            {
                // The branch died below the vertex: go on along the branch it merged into, from that saddle.
                c = _branchParent[c];
                p = _position[top];
                continue;
            }

            return _chainNode[p];
        }
    }

    private bool Before(int position, ulong key, int vertex)
        => _chainKey[position] < key || (_chainKey[position] == key && _chainVertex[position] < vertex);
}
