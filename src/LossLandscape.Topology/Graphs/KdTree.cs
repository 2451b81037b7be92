namespace LossLandscape.Topology.Graphs;

/// <summary>
/// A k-d tree over points in any dimension for exact nearest-neighbour queries. Distances are ordered by
/// (squared distance, index), so ties are broken by index and results never depend on timing.
/// </summary>
internal sealed class KdTree
{
    private const int LeafSize = 12;
    private readonly double[] _points; // reordered copy, point-major
    private readonly int[] _ids;       // original index of each reordered point
    private readonly int _dimension;
    private readonly List<Node> _nodes = [];
    private double[] _lower = [];
    private double[] _upper = [];
    private int[] _minId = [];

    public KdTree(ReadOnlySpan<double> points, int dimension)
    {
        _dimension = dimension;
        int n = points.Length / dimension;
        _ids = Enumerable.Range(0, n).ToArray();
        _points = new double[points.Length];
        Build(points, n);
        for (int i = 0; i < n; i++)
        {
            points.Slice(_ids[i] * dimension, dimension).CopyTo(_points.AsSpan(i * dimension, dimension));
        }
    }

    /// <summary>
    /// Writes the k nearest other points of point <paramref name="query"/> (original index) into
    /// <paramref name="neighbors"/>, nearest first; <paramref name="distances"/> is scratch of length k.
    /// </summary>
    public void Nearest(ReadOnlySpan<double> original, int query, Span<int> neighbors, Span<double> distances)
    {
        int k = neighbors.Length;
        ReadOnlySpan<double> q = original.Slice(query * _dimension, _dimension);
        int count = 0;
        Span<int> stack = stackalloc int[64];
        int top = 0;
        stack[top++] = 0;
        while (top > 0)
        {
            Node node = _nodes[stack[--top]];
            if (count == k)
            {
                // Prune by (distance, index), the order results are ranked by: a node no nearer than the current
                // k-th neighbour whose indices are all larger cannot improve the list. Without the index part, many
                // equal points (10⁵ copies of one point) would make every query visit the whole tree.
                double bound = LowerBound(stack[top], q);
                if (bound > distances[0] || (bound == distances[0] && _minId[stack[top]] > neighbors[0]))
                {
                    continue;
                }
            }

            if (node.Left < 0)
            {
                for (int p = node.Start; p < node.End; p++)
                {
                    int id = _ids[p];
                    if (id == query)
                    {
                        continue;
                    }

                    double d = 0;
                    int offset = p * _dimension;
                    for (int c = 0; c < _dimension; c++)
                    {
                        double delta = _points[offset + c] - q[c];
                        d += delta * delta;
                    }

                    if (count < k)
                    {
                        Push(neighbors, distances, ref count, id, d);
                    }
                    else if (d < distances[0] || (d == distances[0] && id < neighbors[0]))
                    {
                        PopMax(neighbors, distances, ref count);
                        Push(neighbors, distances, ref count, id, d);
                    }
                }

                continue;
            }

            // Visit the nearer child last (on top of the stack) so it is searched first.
            bool goLeft = q[node.SplitDimension] <= node.SplitValue;
            stack[top++] = goLeft ? node.Right : node.Left;
            stack[top++] = goLeft ? node.Left : node.Right;
        }

        // Heap → ascending order by (distance, index), in place: pop the maximum into the last free slot.
        for (int last = count - 1; last > 0; last--)
        {
            int topId = neighbors[0];
            double topDistance = distances[0];
            int size = last + 1;
            PopMax(neighbors, distances, ref size);
            neighbors[last] = topId;
            distances[last] = topDistance;
        }
    }

    private void Build(ReadOnlySpan<double> points, int n)
    {
        var work = new Stack<(int Node, int Start, int End)>();
        _nodes.Add(default);
        work.Push((0, 0, n));
        double[] points1 = points.ToArray();
        while (work.Count > 0)
        {
            (int index, int start, int end) = work.Pop();
            if (end - start <= LeafSize)
            {
                _nodes[index] = new Node(start, end, -1, -1, 0, 0);
                continue;
            }

            // Split along the axis of largest spread of this node's points (a sample of them, for speed).
            int split = SpreadAxis(points1, start, end);
            int middle = (start + end) / 2;
            Select(points1, start, end - 1, middle - 1, split);
            double value = points1[(_ids[middle - 1] * _dimension) + split];
            int left = _nodes.Count;
            _nodes.Add(default);
            int right = _nodes.Count;
            _nodes.Add(default);
            _nodes[index] = new Node(start, end, left, right, split, value);
            work.Push((left, start, middle));
            work.Push((right, middle, end));
        }

        // Bounding boxes bottom-up: leaves scan their points, a parent is the union of its children (children
        // always come after their parent in the node list).
        _lower = new double[_nodes.Count * _dimension];
        _upper = new double[_nodes.Count * _dimension];
        _minId = new int[_nodes.Count];
        for (int node = _nodes.Count - 1; node >= 0; node--)
        {
            Node current = _nodes[node];
            _minId[node] = current.Left < 0
                ? MinOf(_ids.AsSpan(current.Start, current.End - current.Start))
                : Math.Min(_minId[current.Left], _minId[current.Right]);
            Span<double> lower = _lower.AsSpan(node * _dimension, _dimension);
            Span<double> upper = _upper.AsSpan(node * _dimension, _dimension);
            lower.Fill(double.PositiveInfinity);
            upper.Fill(double.NegativeInfinity);
            if (current.Left < 0)
            {
                for (int p = current.Start; p < current.End; p++)
                {
                    for (int c = 0; c < _dimension; c++)
                    {
                        double v = points1[(_ids[p] * _dimension) + c];
                        lower[c] = Math.Min(lower[c], v);
                        upper[c] = Math.Max(upper[c], v);
                    }
                }
            }
            else
            {
                foreach (int child in (ReadOnlySpan<int>)[current.Left, current.Right])
                {
                    for (int c = 0; c < _dimension; c++)
                    {
                        lower[c] = Math.Min(lower[c], _lower[(child * _dimension) + c]);
                        upper[c] = Math.Max(upper[c], _upper[(child * _dimension) + c]);
                    }
                }
            }
        }
    }

    private static int MinOf(ReadOnlySpan<int> ids)
    {
        int min = int.MaxValue;
        foreach (int id in ids)
        {
            min = Math.Min(min, id);
        }

        return min;
    }

    private int SpreadAxis(double[] points, int start, int end)
    {
        if (_dimension == 1)
        {
            return 0;
        }

        int step = Math.Max(1, (end - start) / 64);
        int best = 0;
        double bestSpread = -1;
        for (int c = 0; c < _dimension; c++)
        {
            double low = double.PositiveInfinity;
            double high = double.NegativeInfinity;
            for (int p = start; p < end; p += step)
            {
                double v = points[(_ids[p] * _dimension) + c];
                low = Math.Min(low, v);
                high = Math.Max(high, v);
            }

            if (high - low > bestSpread)
            {
                bestSpread = high - low;
                best = c;
            }
        }

        return best;
    }

    /// <summary>
    /// Quickselect: rearranges _ids[lo..hi] so that position <paramref name="k"/> holds the element of that rank by
    /// (coordinate, index), smaller ones before it and larger ones after. O(n) on average, deterministic (middle pivot).
    /// </summary>
    private void Select(double[] points, int lo, int hi, int k, int dimension)
    {
        int d = _dimension;
        bool Less(int a, int b)
        {
            double va = points[(a * d) + dimension];
            double vb = points[(b * d) + dimension];
            return va < vb || (va == vb && a < b);
        }

        while (hi > lo)
        {
            int pivot = _ids[lo + ((hi - lo) / 2)];
            int i = lo;
            int j = hi;
            while (i <= j)
            {
                while (Less(_ids[i], pivot))
                {
                    i++;
                }

                while (Less(pivot, _ids[j]))
                {
                    j--;
                }

                if (i <= j)
                {
                    (_ids[i], _ids[j]) = (_ids[j], _ids[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }

    private static void Push(Span<int> ids, Span<double> d, ref int count, int id, double distance)
    {
        // Max-heap on (distance, id).
        int i = count++;
        ids[i] = id;
        d[i] = distance;
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Greater(d[i], ids[i], d[parent], ids[parent]))
            {
                break;
            }

            (d[i], d[parent]) = (d[parent], d[i]);
            (ids[i], ids[parent]) = (ids[parent], ids[i]);
            i = parent;
        }
    }

    private static void PopMax(Span<int> ids, Span<double> d, ref int count)
    {
        count--;
        ids[0] = ids[count];
        d[0] = d[count];
        int i = 0;
        while (true)
        {
            int l = (2 * i) + 1;
            int r = l + 1;
            int largest = i;
            if (l < count && Greater(d[l], ids[l], d[largest], ids[largest]))
            {
                largest = l;
            }

            if (r < count && Greater(d[r], ids[r], d[largest], ids[largest]))
            {
                largest = r;
            }

            if (largest == i)
            {
                return;
            }

            (d[i], d[largest]) = (d[largest], d[i]);
            (ids[i], ids[largest]) = (ids[largest], ids[i]);
            i = largest;
        }
    }

    private static bool Greater(double da, int ia, double db, int ib) => da > db || (da == db && ia > ib);

    /// <summary>Squared distance from <paramref name="q"/> to a node's bounding box.</summary>
    private double LowerBound(int node, ReadOnlySpan<double> q)
    {
        double d = 0;
        int offset = node * _dimension;
        for (int c = 0; c < _dimension; c++)
        {
            double lower = _lower[offset + c];
            double upper = _upper[offset + c];
            double delta = q[c] < lower ? lower - q[c] : q[c] > upper ? q[c] - upper : 0;
            d += delta * delta;
        }

        return d;
    }

    private readonly record struct Node(int Start, int End, int Left, int Right, int SplitDimension, double SplitValue);
}
