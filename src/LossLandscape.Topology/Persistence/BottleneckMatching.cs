namespace LossLandscape.Topology.Persistence;

/// <summary>
/// The bottleneck distance between two finite diagrams without the (n + m)² matrix: a bisection over the doubles
/// themselves, each step a feasibility test by Hopcroft–Karp on the implicit graph of points within δ (found
/// from the points sorted by birth), as in Efrat, Itai and Katz's geometric approach that Hera (Kerber, Morozov
/// and Nigmetov) refines.
/// </summary>
/// <remarks>
/// At a given δ, a point whose distance to the diagonal ((death − birth) / 2) exceeds δ is "big": it must be matched
/// to a point of the other diagram within δ (L∞); every other point may go to the diagonal. A perfect matching
/// of the diagonal-augmented problem exists iff some matching covers the big points of the first diagram and some
/// matching covers those of the second (then, by the Mendelsohn–Dulmage theorem, one matching covers both; its
/// unmatched points go to the diagonal, and the unused diagonal copies pair with each other). The answer is the
/// cost of an edge, so the smallest feasible double is exactly the distance the dense search finds, bit for bit:
/// the costs are computed by the same expressions and compared the same way.
/// </remarks>
internal static class BottleneckMatching
{
    public static double Distance((double Birth, double Death)[] a, (double Birth, double Death)[] b)
    {
        double high = 0;
        foreach ((double birth, double death) in a.Concat(b))
        {
            high = Math.Max(high, (death - birth) / 2); // everything to the diagonal: always feasible
        }

        if (high == 0 || Feasible(a, b, 0))
        {
            return 0;
        }

        // Positive doubles order as their bit patterns: bisect those, ≤ 63 steps to the smallest feasible δ.
        long low = 0; // infeasible
        long top = BitConverter.DoubleToInt64Bits(high); // feasible
        while (top - low > 1)
        {
            long middle = low + ((top - low) / 2);
            if (Feasible(a, b, BitConverter.Int64BitsToDouble(middle)))
            {
                top = middle;
            }
            else
            {
                low = middle;
            }
        }

        return BitConverter.Int64BitsToDouble(top);
    }

    private static bool Feasible((double Birth, double Death)[] a, (double Birth, double Death)[] b, double delta)
        => CoversBig(a, new SortedPoints(b), delta) && CoversBig(b, new SortedPoints(a), delta);

    /// <summary>Whether a matching within <paramref name="delta"/> covers every big point of <paramref name="left"/>.</summary>
    private static bool CoversBig((double Birth, double Death)[] left, SortedPoints right, double delta)
    {
        // The graph in CSR form: big left points and their neighbours within δ.
        var start = new List<int> { 0 };
        var edges = new List<int>();
        var bigPoints = new List<int>();
        for (int i = 0; i < left.Length; i++)
        {
            (double birth, double death) = left[i];
            if ((death - birth) / 2 <= delta)
            {
                continue;
            }

            int before = edges.Count;
            right.Neighbors(birth, death, delta, edges);
            if (edges.Count == before)
            {
                return false; // a big point with no partner: no matching covers it
            }

            bigPoints.Add(i);
            start.Add(edges.Count);
        }

        return bigPoints.Count == 0 || HopcroftKarp.MaximumMatching(bigPoints.Count, right.Count, [.. start], [.. edges]) == bigPoints.Count;
    }

    /// <summary>A diagram's points sorted by birth, for the points within δ (L∞) of a query point.</summary>
    private readonly struct SortedPoints
    {
        private readonly double[] _births;
        private readonly double[] _deaths;
        private readonly int[] _index;

        public SortedPoints((double Birth, double Death)[] points)
        {
            _index = Enumerable.Range(0, points.Length).OrderBy(i => points[i].Birth).ToArray();
            _births = _index.Select(i => points[i].Birth).ToArray();
            _deaths = _index.Select(i => points[i].Death).ToArray();
        }

        public int Count => _index.Length;

        public void Neighbors(double birth, double death, double delta, List<int> into)
        {
            // First position whose birth can be within δ; the cost test below is the dense code's, so a point is
            // a neighbour exactly when its matrix entry would be ≤ δ.
            int lo = 0;
            int hi = _births.Length;
            double from = birth - delta;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (_births[mid] < from)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            // A step back over rounding in birth − δ; the exact test decides.
            while (lo > 0 && Math.Abs(birth - _births[lo - 1]) <= delta)
            {
                lo--;
            }

            for (int k = lo; k < _births.Length && _births[k] - birth <= delta; k++)
            {
                if (Math.Max(Math.Abs(birth - _births[k]), Math.Abs(death - _deaths[k])) <= delta)
                {
                    into.Add(k);
                }
            }
        }
    }
}
