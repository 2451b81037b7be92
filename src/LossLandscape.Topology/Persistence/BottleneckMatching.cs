namespace LossLandscape.Topology.Persistence;

/// <summary>
/// The bottleneck distance between two finite diagrams without the (n + m)² matrix: a bisection of the values to
/// a narrow interval, then a binary search over the few edge costs inside it, each step a feasibility test by
/// Hopcroft–Karp on the implicit graph of points within δ (found from the points sorted by birth), as in Efrat,
/// Itai and Katz's geometric approach that Hera (Kerber, Morozov and Nigmetov) refines.
/// </summary>
/// <remarks>
/// At a given δ, a point whose distance to the diagonal ((death − birth) / 2) exceeds δ is "big": it must be matched
/// to a point of the other diagram within δ (L∞); every other point may go to the diagonal. A perfect matching
/// of the diagonal-augmented problem exists iff some matching covers the big points of the first diagram and some
/// matching covers those of the second (then, by the Mendelsohn–Dulmage theorem, one matching covers both; its
/// unmatched points go to the diagonal, and the unused diagonal copies pair with each other). The answer is the
/// cost of an edge, found among the edge costs themselves, so it is bit for bit the distance the dense search
/// finds: the costs are computed by the same expressions and compared the same way.
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

        var sortedA = new SortedPoints(a);
        var sortedB = new SortedPoints(b);
        bool Feasible(double delta) => CoversBig(a, sortedB, delta) && CoversBig(b, sortedA, delta);
        if (high == 0 || Feasible(0))
        {
            return 0;
        }

        // 1. Bisect the values until the interval (low, high] is a thousandth of high wide: low infeasible, high feasible.
        double low = 0;
        for (int step = 0; step < 60 && high - low > high * 1e-3; step++)
        {
            double middle = low + ((high - low) / 2);
            if (Feasible(middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        // 2. The distance is the cost of an edge in (low, high]: a point's distance to the diagonal, or the L∞
        //    distance of two points. Those few costs, sorted, are searched exactly.
        var candidates = new List<double>();
        foreach ((double birth, double death) in a.Concat(b))
        {
            double toDiagonal = (death - birth) / 2;
            if (toDiagonal > low && toDiagonal <= high)
            {
                candidates.Add(toDiagonal);
            }
        }

        var near = new List<int>();
        foreach ((double birth, double death) in a)
        {
            near.Clear();
            sortedB.Neighbors(birth, death, high, near);
            foreach (int k in near)
            {
                double cost = sortedB.Cost(birth, death, k);
                if (cost > low)
                {
                    candidates.Add(cost);
                }
            }
        }

        double[] sorted = [.. candidates.Distinct().Order()];
        int lo = 0;
        int hi = sorted.Length - 1; // sorted[^1] == high's smallest feasible edge cost or below high: feasible
        while (lo < hi)
        {
            int middle = (lo + hi) / 2;
            if (Feasible(sorted[middle]))
            {
                hi = middle;
            }
            else
            {
                lo = middle + 1;
            }
        }

        return sorted.Length > 0 ? sorted[lo] : high;
    }

    /// <summary>Whether a matching within <paramref name="delta"/> covers every big point of <paramref name="left"/>.</summary>
    private static bool CoversBig((double Birth, double Death)[] left, SortedPoints right, double delta)
    {
        var big = new List<(double Birth, double Death)>();
        foreach ((double birth, double death) in left)
        {
            if ((death - birth) / 2 > delta)
            {
                big.Add((birth, death));
            }
        }

        return big.Count == 0 || new GeometricHopcroftKarp([.. big], right, delta).MaximumMatching() == big.Count;
    }

    /// <summary>A diagram's points sorted by birth, for the points within δ (L∞) of a query point.</summary>
    internal readonly struct SortedPoints
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

        /// <summary>The L∞ cost between a point and the k-th sorted point, by the dense code's expression.</summary>
        public double Cost(double birth, double death, int k) => Math.Max(Math.Abs(birth - _births[k]), Math.Abs(death - _deaths[k]));

        /// <summary>The first sorted position whose point can be within <paramref name="delta"/> of <paramref name="birth"/>.</summary>
        public int First(double birth, double delta)
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

            return lo;
        }

        /// <summary>Whether the point at sorted position k lies past the window of <paramref name="birth"/> ± δ.</summary>
        public bool Beyond(double birth, double delta, int k) => _births[k] - birth > delta;

        /// <summary>Adds the sorted positions of the points within δ (L∞) of (birth, death).</summary>
        public void Neighbors(double birth, double death, double delta, List<int> into)
        {
            for (int k = First(birth, delta); k < _births.Length && !Beyond(birth, delta, k); k++)
            {
                if (Cost(birth, death, k) <= delta)
                {
                    into.Add(k);
                }
            }
        }
    }
}
