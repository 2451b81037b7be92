namespace LossLandscape.Topology.Persistence;

/// <summary>
/// Hopcroft–Karp between big points and the other diagram's points within δ, with the graph left implicit: each
/// left point's neighbours are read from the birth-sorted points, and every phase deletes a right point from a
/// skip list (union–find over sorted positions) once the search has used it, so a phase reads each right point
/// about once instead of every edge (the idea of Efrat, Itai and Katz's geometric matching, with a sorted array
/// in place of their range structure).
/// </summary>
internal sealed class GeometricHopcroftKarp
{
    private readonly (double Birth, double Death)[] _left;
    private readonly BottleneckMatching.SortedPoints _right;
    private readonly double _delta;
    private readonly int[] _matchLeft;
    private readonly int[] _matchRight;
    private readonly int[] _layer;
    private readonly int[] _skip;

    public GeometricHopcroftKarp((double Birth, double Death)[] left, BottleneckMatching.SortedPoints right, double delta)
    {
        _left = left;
        _right = right;
        _delta = delta;
        _matchLeft = new int[left.Length];
        _matchRight = new int[right.Count];
        Array.Fill(_matchLeft, -1);
        Array.Fill(_matchRight, -1);
        _layer = new int[left.Length];
        _skip = new int[right.Count + 1];
    }

    public int MaximumMatching()
    {
        int size = Greedy();
        var queue = new int[_left.Length];
        var stack = new int[_left.Length];
        var cursor = new int[_left.Length];
        var via = new int[_left.Length];
        while (true)
        {
            if (!Layers(queue))
            {
                return size;
            }

            ResetSkip();
            for (int root = 0; root < _left.Length; root++)
            {
                if (_matchLeft[root] >= 0 || _layer[root] != 0)
                {
                    continue;
                }

                int depth = 0;
                stack[depth++] = root;
                cursor[root] = -1;
                while (depth > 0)
                {
                    int u = stack[depth - 1];
                    int v = NextUnused(u, ref cursor[u], mismatchOk: false);
                    if (v < 0)
                    {
                        _layer[u] = int.MaxValue; // dead for this phase
                        depth--;
                        continue;
                    }

                    int w = _matchRight[v];
                    if (w < 0)
                    {
                        via[u] = v;
                        for (int k = depth - 1; k >= 0; k--)
                        {
                            int x = stack[k];
                            _matchLeft[x] = via[x];
                            _matchRight[via[x]] = x;
                        }

                        size++;
                        depth = 0;
                    }
                    else
                    {
                        via[u] = v;
                        cursor[w] = -1;
                        stack[depth++] = w;
                    }
                }
            }
        }
    }

    // Each left point takes its first free neighbour.
    private int Greedy()
    {
        ResetSkip();
        int size = 0;
        for (int u = 0; u < _left.Length; u++)
        {
            int k = _right.First(_left[u].Birth, _delta);
            for (k = Find(k); k < _right.Count && !_right.Beyond(_left[u].Birth, _delta, k); k = Find(k + 1))
            {
                if (_right.Cost(_left[u].Birth, _left[u].Death, k) <= _delta)
                {
                    _matchLeft[u] = k;
                    _matchRight[k] = u;
                    _skip[k] = k + 1; // matched: no other greedy pick
                    size++;
                    break;
                }
            }
        }

        return size;
    }

    /// <summary>Breadth-first layers from the free left points; true when a free right point is reachable.</summary>
    private bool Layers(int[] queue)
    {
        ResetSkip();
        int head = 0;
        int tail = 0;
        for (int u = 0; u < _left.Length; u++)
        {
            _layer[u] = _matchLeft[u] < 0 ? 0 : int.MaxValue;
            if (_matchLeft[u] < 0)
            {
                queue[tail++] = u;
            }
        }

        bool reachesFree = false;
        while (head < tail)
        {
            int u = queue[head++];
            int position = -1;
            for (int v = NextUnused(u, ref position, mismatchOk: true); v >= 0; v = NextUnused(u, ref position, mismatchOk: true))
            {
                int w = _matchRight[v];
                if (w < 0)
                {
                    reachesFree = true;
                }
                else if (_layer[w] == int.MaxValue)
                {
                    _layer[w] = _layer[u] + 1;
                    queue[tail++] = w;
                }
            }
        }

        return reachesFree;
    }

    /// <summary>
    /// The next right neighbour of <paramref name="u"/> not yet used in this phase, removed from the skip list as
    /// it is returned. In the depth-first search a neighbour whose partner is not one layer deeper stays (another
    /// left point may use it) and is stepped over.
    /// </summary>
    private int NextUnused(int u, ref int position, bool mismatchOk)
    {
        (double birth, double death) = _left[u];
        int k = position < 0 ? Find(_right.First(birth, _delta)) : Find(position);
        for (; k < _right.Count && !_right.Beyond(birth, _delta, k); k = Find(k + 1))
        {
            if (_right.Cost(birth, death, k) > _delta)
            {
                continue;
            }

            int w = _matchRight[k];
            if (!mismatchOk && w >= 0 && _layer[w] != _layer[u] + 1)
            {
                continue;
            }

            _skip[k] = k + 1;
            position = k + 1;
            return k;
        }

        position = k;
        return -1;
    }

    private void ResetSkip()
    {
        for (int i = 0; i < _skip.Length; i++)
        {
            _skip[i] = i;
        }
    }

    // The first position at or after i still in the skip list (path halving).
    private int Find(int i)
    {
        while (_skip[i] != i)
        {
            _skip[i] = _skip[_skip[i]];
            i = _skip[i];
        }

        return i;
    }
}
