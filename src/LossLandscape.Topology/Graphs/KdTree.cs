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
            if (count == k && node.LowerBound(q, _dimension) > distances[0])
            {
                continue;
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

        // Heap → ascending order by (distance, index).
        var order = new (double, int)[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = (distances[i], neighbors[i]);
        }

        Array.Sort(order);
        for (int i = 0; i < count; i++)
        {
            (distances[i], neighbors[i]) = order[i];
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
            var lower = new double[_dimension];
            var upper = new double[_dimension];
            Array.Fill(lower, double.PositiveInfinity);
            Array.Fill(upper, double.NegativeInfinity);
            for (int p = start; p < end; p++)
            {
                for (int c = 0; c < _dimension; c++)
                {
                    double v = points1[(_ids[p] * _dimension) + c];
                    lower[c] = Math.Min(lower[c], v);
                    upper[c] = Math.Max(upper[c], v);
                }
            }

            if (end - start <= LeafSize)
            {
                _nodes[index] = new Node(start, end, -1, -1, 0, 0, lower, upper);
                continue;
            }

            int split = 0;
            for (int c = 1; c < _dimension; c++)
            {
                if (upper[c] - lower[c] > upper[split] - lower[split])
                {
                    split = c;
                }
            }

            int middle = (start + end) / 2;
            Span<int> ids = _ids.AsSpan(start, end - start);
            ids.Sort((a, b) =>
            {
                int byValue = points1[(a * _dimension) + split].CompareTo(points1[(b * _dimension) + split]);
                return byValue != 0 ? byValue : a.CompareTo(b);
            });
            double value = points1[(_ids[middle - 1] * _dimension) + split];
            int left = _nodes.Count;
            _nodes.Add(default);
            int right = _nodes.Count;
            _nodes.Add(default);
            _nodes[index] = new Node(start, end, left, right, split, value, lower, upper);
            work.Push((left, start, middle));
            work.Push((right, middle, end));
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

    private readonly record struct Node(int Start, int End, int Left, int Right, int SplitDimension, double SplitValue, double[] Lower, double[] Upper)
    {
        /// <summary>Squared distance from <paramref name="q"/> to the node's bounding box.</summary>
        public double LowerBound(ReadOnlySpan<double> q, int dimension)
        {
            double d = 0;
            for (int c = 0; c < dimension; c++)
            {
                double delta = q[c] < Lower[c] ? Lower[c] - q[c] : q[c] > Upper[c] ? q[c] - Upper[c] : 0;
                d += delta * delta;
            }

            return d;
        }
    }
}
