using System.Numerics;

namespace LossLandscape.Topology.Persistence;

/// <summary>
/// The q-Wasserstein matching between two finite diagrams by Bertsekas' auction with ε-scaling, without the
/// (n + m)² matrix (the approach Hera takes, here with linear scans where Hera uses k-d trees). Bidders are the first
/// diagram's points and the second's diagonal copies; objects are the second diagram's points and the first's
/// diagonal copies. A point bids for any point of the other diagram or for its own diagonal copy; a diagonal copy
/// bids for its own point or for any diagonal copy of the other side (cost 0), the cheapest of which a sorted set
/// of prices keeps at hand.
/// </summary>
/// <remarks>
/// At the end of a phase with increment ε every bidder holds an object within ε of its best, so the assignment
/// costs at most N·ε more than the optimum (N bidders); the phases divide ε by 5 until N·ε is below
/// <see cref="RelativeTolerance"/> of the assignment's cost (or 10⁻¹⁵ of the largest distance to the diagonal, for
/// diagrams at distance 0), so the result is the optimum to that relative error.
/// </remarks>
internal static class WassersteinAuction
{
    /// <summary>Relative error bound of the returned total cost (Σ costᵠ).</summary>
    public const double RelativeTolerance = 1e-9;

    /// <summary>The optimal Σ costᵠ (before the 1/q-th root), to <see cref="RelativeTolerance"/>.</summary>
    public static double TotalCost((double Birth, double Death)[] a, (double Birth, double Death)[] b, double q)
    {
        int n = a.Length;
        int m = b.Length;
        int count = n + m;
        if (count == 0)
        {
            return 0;
        }

        double Power(double x) => q == 1 ? x : Math.Pow(x, q);
        double[] ab = a.Select(p => p.Birth).ToArray();
        double[] ad = a.Select(p => p.Death).ToArray();
        double[] bb = b.Select(p => p.Birth).ToArray();
        double[] bd = b.Select(p => p.Death).ToArray();
        double[] toDiagonalA = a.Select(p => Power((p.Death - p.Birth) / 2)).ToArray();
        double[] toDiagonalB = b.Select(p => Power((p.Death - p.Birth) / 2)).ToArray();

        // Objects: 0..m-1 the second diagram's points, m..m+n-1 the first's diagonal copies.
        var price = new double[count];
        var owner = new int[count];
        var holds = new int[count];
        var diagonalPrices = new SortedSet<(double Price, int Object)>();
        for (int i = 0; i < n; i++)
        {
            diagonalPrices.Add((0, m + i));
        }

        double maxCost = toDiagonalA.Concat(toDiagonalB).DefaultIfEmpty(0).Max();
        if (maxCost == 0)
        {
            return 0;
        }

        double epsilon = maxCost / 4;
        double total;
        var queue = new Queue<int>(count);
        while (true)
        {
            Array.Fill(owner, -1);
            Array.Fill(holds, -1);
            queue.Clear();
            for (int bidder = 0; bidder < count; bidder++)
            {
                queue.Enqueue(bidder);
            }

            while (queue.Count > 0)
            {
                int bidder = queue.Dequeue();
                double best = double.PositiveInfinity;
                double second = double.PositiveInfinity;
                int chosen = -1;
                void Offer(int obj, double value)
                {
                    if (value < best)
                    {
                        second = best;
                        best = value;
                        chosen = obj;
                    }
                    else if (value < second)
                    {
                        second = value;
                    }
                }

                if (bidder < n)
                {
                    double x = ab[bidder];
                    double y = ad[bidder];
                    int j = 0;
                    if (q == 1 && m >= 2 * Vector<double>.Count)
                    {
                        // The two cheapest points of the other diagram, Vector<double>.Count at a time (any width);
                        // the loop below finishes the few a vector does not fill.
                        (chosen, best, second, j) = BestTwo(x, y, bb, bd, price, m);
                    }

                    for (; j < m; j++)
                    {
                        double value = Power(Math.Max(Math.Abs(x - bb[j]), Math.Abs(y - bd[j]))) + price[j];
                        if (value < second)
                        {
                            Offer(j, value);
                        }
                    }

                    Offer(m + bidder, toDiagonalA[bidder] + price[m + bidder]);
                }
                else
                {
                    int j = bidder - n;
                    Offer(j, toDiagonalB[j] + price[j]);
                    int k = 0;
                    foreach ((double p, int obj) in diagonalPrices)
                    {
                        Offer(obj, p);
                        if (++k == 2)
                        {
                            break;
                        }
                    }
                }

                double raise = (double.IsFinite(second) ? second - best : 0) + epsilon;
                if (chosen >= m)
                {
                    diagonalPrices.Remove((price[chosen], chosen));
                    price[chosen] += raise;
                    diagonalPrices.Add((price[chosen], chosen));
                }
                else
                {
                    price[chosen] += raise;
                }

                int previous = owner[chosen];
                owner[chosen] = bidder;
                holds[bidder] = chosen;
                if (previous >= 0)
                {
                    holds[previous] = -1;
                    queue.Enqueue(previous);
                }
            }

            total = 0;
            for (int bidder = 0; bidder < count; bidder++)
            {
                total += Cost(bidder, holds[bidder]);
            }

            if (count * epsilon <= Math.Max(RelativeTolerance * total, 1e-15 * maxCost))
            {
                return total;
            }

            epsilon /= 5;
        }

        double Cost(int bidder, int obj) => bidder < n
            ? obj < m ? Power(Math.Max(Math.Abs(ab[bidder] - bb[obj]), Math.Abs(ad[bidder] - bd[obj]))) : toDiagonalA[bidder]
            : obj < m ? toDiagonalB[obj] : 0;
    }

    /// <summary>
    /// The cheapest and second-cheapest L∞(point, j) + price[j] over the first whole vectors of j, the cheapest j, and
    /// how many j were covered: per lane a best and a second best, then the lanes reduced.
    /// </summary>
    private static (int Index, double Best, double Second, int Covered) BestTwo(double x, double y, double[] births, double[] deaths, double[] price, int m)
    {
        int width = Vector<double>.Count;
        var vx = new Vector<double>(x);
        var vy = new Vector<double>(y);
        var best = new Vector<double>(double.PositiveInfinity);
        var second = best;
        var index = new Vector<long>(-1);
        var lane = Vector<long>.Indices;
        int j = 0;
        for (; j + width <= m; j += width)
        {
            var value = Vector.Max(Vector.Abs(vx - new Vector<double>(births, j)), Vector.Abs(vy - new Vector<double>(deaths, j))) + new Vector<double>(price, j);
            var lower = Vector.LessThan(value, best);
            second = Vector.ConditionalSelect(lower, best, Vector.Min(second, value));
            best = Vector.ConditionalSelect(lower, value, best);
            index = Vector.ConditionalSelect(Vector.AsVectorInt64(lower), lane + new Vector<long>(j), index);
        }

        double top = double.PositiveInfinity;
        double next = double.PositiveInfinity;
        int chosen = -1;
        for (int k = 0; k < width; k++)
        {
            if (best[k] < top)
            {
                next = Math.Min(top, Math.Min(next, second[k]));
                top = best[k];
                chosen = (int)index[k];
            }
            else
            {
                next = Math.Min(next, Math.Min(best[k], second[k]));
            }
        }

        return (chosen, top, next, j);
    }
}
