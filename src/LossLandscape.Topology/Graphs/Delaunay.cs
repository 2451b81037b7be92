namespace LossLandscape.Topology.Graphs;

/// <summary>
/// A 2-D Delaunay triangulation by the sweep-hull method: points are added in order of distance from the
/// circumcentre of a seed triangle, each connected to the visible part of the convex hull (found through an
/// angular hash), and the new triangles are made Delaunay by edge flips. O(n log n) for the sort plus near-linear
/// work; triangles and their adjacency (half-edges) live in flat arrays.
/// </summary>
/// <remarks>
/// Degenerate input is expected — a regular grid is all cocircular quadruples. An edge is flipped only when the
/// opposite point lies strictly inside the circumcircle, so cocircular points never flip back and forth; any
/// diagonal of a cocircular quadrilateral is a valid Delaunay edge. Points that coincide (within 2⁻⁴⁰ of the
/// extent) are merged into the first one and reported in <see cref="DuplicateOf"/>. Input that is entirely
/// collinear has no triangles: <see cref="IsCollinear"/> is set and the points are ordered along the line.
/// </remarks>
internal sealed class Delaunay
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly int[] _hullPrev;
    private readonly int[] _hullNext;
    private readonly int[] _hullTri;
    private readonly int[] _hullHash;
    private readonly int _hashSize;
    private readonly Stack<int> _edges = new();
    private int[] _triangles;
    private int[] _halfedges;
    private int _hullStart;
    private double _cx;
    private double _cy;

    public Delaunay(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        _x = x.ToArray();
        _y = y.ToArray();
        int maxTriangles = Math.Max((2 * n) - 5, 1);
        _triangles = new int[maxTriangles * 3];
        _halfedges = new int[maxTriangles * 3];
        _hullPrev = new int[n];
        _hullNext = new int[n];
        _hullTri = new int[n];
        _hashSize = (int)Math.Ceiling(Math.Sqrt(n));
        _hullHash = new int[_hashSize];
        DuplicateOf = new int[n];
        Array.Fill(DuplicateOf, -1);
        Skipped = [];
        Triangulate();
    }

    /// <summary>The coordinates the triangulation was built on (the caller's, scaled by a power of two).</summary>
    public double[] X => _x;

    /// <summary>The y coordinates the triangulation was built on.</summary>
    public double[] Y => _y;

    /// <summary>Vertex indices, three per triangle, counter-clockwise.</summary>
    public ReadOnlySpan<int> Triangles => _triangles.AsSpan(0, TriangleCount * 3);

    /// <summary>For each half-edge, the opposite half-edge in the neighbouring triangle, or −1 on the hull.</summary>
    public ReadOnlySpan<int> Halfedges => _halfedges.AsSpan(0, TriangleCount * 3);

    public int TriangleCount { get; private set; }

    /// <summary>For each point, the earlier point it coincides with, or −1.</summary>
    public int[] DuplicateOf { get; }

    /// <summary>Points that rounding kept out of the triangulation (in practice none); the graph joins each to its nearest point.</summary>
    public List<int> Skipped { get; }

    /// <summary>True when all points lie on one line (no triangle exists).</summary>
    public bool IsCollinear { get; private set; }

    /// <summary>For collinear input: the points ordered along the line.</summary>
    public int[] LineOrder { get; private set; } = [];

    /// <summary>The nearest point that is in the triangulation (for the rare skipped point).</summary>
    public int NearestTriangulated(int i)
    {
        var skipped = new HashSet<int>(Skipped);
        int best = -1;
        double bestDistance = double.PositiveInfinity;
        for (int j = 0; j < _x.Length; j++)
        {
            if (j == i || skipped.Contains(j) || DuplicateOf[j] >= 0)
            {
                continue;
            }

            double d = Squared(_x[j] - _x[i], _y[j] - _y[i]);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = j;
            }
        }

        return best;
    }

    internal static double Orient(double ax, double ay, double bx, double by, double cx, double cy)
        => ((bx - ax) * (cy - ay)) - ((by - ay) * (cx - ax));

    /// <summary>Positive when p lies strictly inside the circumcircle of the counter-clockwise triangle abc.</summary>
    internal static double InCircle(double ax, double ay, double bx, double by, double cx, double cy, double px, double py)
    {
        double dx = ax - px;
        double dy = ay - py;
        double ex = bx - px;
        double ey = by - py;
        double fx = cx - px;
        double fy = cy - py;
        double ap = (dx * dx) + (dy * dy);
        double bp = (ex * ex) + (ey * ey);
        double cp = (fx * fx) + (fy * fy);
        return (dx * ((ey * cp) - (bp * fy))) - (dy * ((ex * cp) - (bp * fx))) + (ap * ((ex * fy) - (ey * fx)));
    }

    private void Triangulate()
    {
        int n = _x.Length;
        if (n < 3)
        {
            SetCollinear();
            return;
        }

        double minX = _x.Min();
        double maxX = _x.Max();
        double minY = _y.Min();
        double maxY = _y.Max();
        double extent = Math.Max(maxX - minX, maxY - minY);
        double duplicateTolerance = extent * Math.Pow(2, -40);
        double midX = (minX + maxX) / 2;
        double midY = (minY + maxY) / 2;

        int i0 = ArgMin(n, i => Squared(_x[i] - midX, _y[i] - midY));
        int i1 = ArgMin(n, i => i == i0 || Squared(_x[i] - _x[i0], _y[i] - _y[i0]) <= duplicateTolerance * duplicateTolerance ? double.PositiveInfinity : Squared(_x[i] - _x[i0], _y[i] - _y[i0]));
        int i2 = i1 < 0 ? -1 : ArgMin(n, i => i == i0 || i == i1 ? double.PositiveInfinity : Circumradius(i0, i1, i));
        if (i1 < 0 || i2 < 0 || double.IsInfinity(Circumradius(i0, i1, i2)))
        {
            SetCollinear();
            return;
        }

        if (Orient(_x[i0], _y[i0], _x[i1], _y[i1], _x[i2], _y[i2]) < 0)
        {
            (i1, i2) = (i2, i1);
        }

        (_cx, _cy) = Circumcentre(i0, i1, i2);
        var distances = new double[n];
        var ids = new int[n];
        for (int i = 0; i < n; i++)
        {
            distances[i] = Squared(_x[i] - _cx, _y[i] - _cy);
            ids[i] = i;
        }

        // Sort by (distance, index): deterministic for ties.
        Array.Sort(ids, (a, b) => distances[a] != distances[b] ? distances[a].CompareTo(distances[b]) : a.CompareTo(b));

        _hullStart = i0;
        _hullNext[i0] = _hullPrev[i2] = i1;
        _hullNext[i1] = _hullPrev[i0] = i2;
        _hullNext[i2] = _hullPrev[i1] = i0;
        _hullTri[i0] = 0;
        _hullTri[i1] = 1;
        _hullTri[i2] = 2;
        Array.Fill(_hullHash, -1);
        _hullHash[HashKey(_x[i0], _y[i0])] = i0;
        _hullHash[HashKey(_x[i1], _y[i1])] = i1;
        _hullHash[HashKey(_x[i2], _y[i2])] = i2;
        TriangleCount = 0;
        AddTriangle(i0, i1, i2, -1, -1, -1);

        // Points equal to the seed points, and points equal to the previous point in the sweep order, are duplicates.
        int previous = -1;
        foreach (int i in ids)
        {
            double x = _x[i];
            double y = _y[i];
            if (previous >= 0 && Math.Abs(x - _x[previous]) <= duplicateTolerance && Math.Abs(y - _y[previous]) <= duplicateTolerance)
            {
                DuplicateOf[i] = DuplicateOf[previous] >= 0 ? DuplicateOf[previous] : previous;
                continue;
            }

            previous = i;
            if (i == i0 || i == i1 || i == i2)
            {
                continue;
            }

            int seedTwin = Array.FindIndex([i0, i1, i2], s => Math.Abs(x - _x[s]) <= duplicateTolerance && Math.Abs(y - _y[s]) <= duplicateTolerance);
            if (seedTwin >= 0)
            {
                DuplicateOf[i] = seedTwin switch { 0 => i0, 1 => i1, _ => i2 };
                continue;
            }

            Insert(i, x, y);
        }
    }

    private void Insert(int i, double x, double y)
    {
        // A hull point near i's angle, then walk to the first hull edge that sees i.
        int start = 0;
        int key = HashKey(x, y);
        for (int j = 0; j < _hashSize; j++)
        {
            start = _hullHash[(key + j) % _hashSize];
            if (start != -1 && start != _hullNext[start])
            {
                break;
            }
        }

        start = _hullPrev[start];
        int e = start;
        int q;
        while (!Visible(x, y, e, q = _hullNext[e]))
        {
            e = q;
            if (e == start)
            {
                Skipped.Add(i); // on or inside the hull by rounding
                return;
            }
        }

        int t = AddTriangle(e, i, _hullNext[e], -1, -1, _hullTri[e]);
        _hullTri[i] = Legalize(t + 2);
        _hullTri[e] = t;

        int next = _hullNext[e];
        while (Visible(x, y, next, q = _hullNext[next]))
        {
            t = AddTriangle(next, i, q, _hullTri[i], -1, _hullTri[next]);
            _hullTri[i] = Legalize(t + 2);
            _hullNext[next] = next; // removed from the hull
            next = q;
        }

        if (e == start)
        {
            while (Visible(x, y, q = _hullPrev[e], e))
            {
                t = AddTriangle(q, i, e, -1, _hullTri[e], _hullTri[q]);
                Legalize(t + 2);
                _hullTri[q] = t;
                _hullNext[e] = e;
                e = q;
            }
        }

        _hullStart = _hullPrev[i] = e;
        _hullNext[e] = _hullPrev[next] = i;
        _hullNext[i] = next;
        _hullHash[HashKey(x, y)] = i;
        _hullHash[HashKey(_x[e], _y[e])] = e;
    }

    /// <summary>True when (x, y) lies strictly to the right of the hull edge a → b (the hull runs counter-clockwise).</summary>
    private bool Visible(double x, double y, int a, int b) => Orient(_x[a], _y[a], _x[b], _y[b], x, y) < 0;

    private int Legalize(int a)
    {
        int ar;
        while (true)
        {
            int b = _halfedges[a];
            int a0 = a - (a % 3);
            ar = a0 + ((a + 2) % 3);
            if (b == -1)
            {
                if (_edges.Count == 0)
                {
                    break;
                }

                a = _edges.Pop();
                continue;
            }

            int b0 = b - (b % 3);
            int al = a0 + ((a + 1) % 3);
            int bl = b0 + ((b + 2) % 3);
            int p0 = _triangles[ar];
            int pr = _triangles[a];
            int pl = _triangles[al];
            int p1 = _triangles[bl];
            bool illegal = InCircle(_x[p0], _y[p0], _x[pr], _y[pr], _x[pl], _y[pl], _x[p1], _y[p1]) > 0;
            if (illegal)
            {
                _triangles[a] = p1;
                _triangles[b] = p0;
                int hbl = _halfedges[bl];
                if (hbl == -1)
                {
                    // The flipped edge was on the hull: the hull triangle reference moves with it.
                    int e = _hullStart;
                    do
                    {
                        if (_hullTri[e] == bl)
                        {
                            _hullTri[e] = a;
                            break;
                        }

                        e = _hullPrev[e];
                    }
                    while (e != _hullStart);
                }

                Link(a, hbl);
                Link(b, _halfedges[ar]);
                Link(ar, bl);
                _edges.Push(b0 + ((b + 1) % 3));
            }
            else
            {
                if (_edges.Count == 0)
                {
                    break;
                }

                a = _edges.Pop();
            }
        }

        return ar;
    }

    private int AddTriangle(int i0, int i1, int i2, int a, int b, int c)
    {
        int t = TriangleCount * 3;
        if (t + 3 > _triangles.Length)
        {
            Array.Resize(ref _triangles, _triangles.Length * 2);
            Array.Resize(ref _halfedges, _halfedges.Length * 2);
        }

        _triangles[t] = i0;
        _triangles[t + 1] = i1;
        _triangles[t + 2] = i2;
        Link(t, a);
        Link(t + 1, b);
        Link(t + 2, c);
        TriangleCount++;
        return t;
    }

    private void Link(int a, int b)
    {
        _halfedges[a] = b;
        if (b != -1)
        {
            _halfedges[b] = a;
        }
    }

    private int HashKey(double x, double y)
    {
        double dx = x - _cx;
        double dy = y - _cy;
        double p = dx / (Math.Abs(dx) + Math.Abs(dy));
        double angle = (dy > 0 ? 3 - p : 1 + p) / 4; // monotone in the true angle, in [0, 1]
        if (double.IsNaN(angle))
        {
            angle = 0;
        }

        return (int)Math.Floor(angle * _hashSize) % _hashSize;
    }

    private void SetCollinear()
    {
        IsCollinear = true;
        int n = _x.Length;
        if (n == 0)
        {
            return;
        }

        // Order along the direction of largest spread (ties by index).
        double dx = n > 0 ? _x.Max() - _x.Min() : 0;
        double dy = n > 0 ? _y.Max() - _y.Min() : 0;
        double[] key = dx >= dy ? _x : _y;
        LineOrder = Enumerable.Range(0, n).OrderBy(i => key[i]).ThenBy(i => i).ToArray();
    }

    /// <summary>Squared circumradius of a, b, c (+∞ for collinear points).</summary>
    private double Circumradius(int a, int b, int c)
    {
        (double x, double y) = CircumcentreOffset(a, b, c);
        double r = (x * x) + (y * y);
        return double.IsFinite(r) ? r : double.PositiveInfinity;
    }

    private (double X, double Y) Circumcentre(int a, int b, int c)
    {
        (double x, double y) = CircumcentreOffset(a, b, c);
        return (_x[a] + x, _y[a] + y);
    }

    /// <summary>The circumcentre of a, b, c relative to a.</summary>
    private (double X, double Y) CircumcentreOffset(int a, int b, int c)
    {
        double dx = _x[b] - _x[a];
        double dy = _y[b] - _y[a];
        double ex = _x[c] - _x[a];
        double ey = _y[c] - _y[a];
        double bl = (dx * dx) + (dy * dy);
        double cl = (ex * ex) + (ey * ey);
        double d = 0.5 / ((dx * ey) - (dy * ex));
        return (((ey * bl) - (dy * cl)) * d, ((dx * cl) - (ex * bl)) * d);
    }

    private static double Squared(double dx, double dy) => (dx * dx) + (dy * dy);

    private static int ArgMin(int n, Func<int, double> value)
    {
        int best = -1;
        double bestValue = double.PositiveInfinity;
        for (int i = 0; i < n; i++)
        {
            double v = value(i);
            if (v < bestValue)
            {
                bestValue = v;
                best = i;
            }
        }

        return best;
    }
}
