namespace LossLandscape.Topology.Persistence;

/// <summary>
/// Distances between persistence diagrams, to compare the shapes of two landscapes (e.g. two values of β): the
/// bottleneck distance and the q-Wasserstein distance, with the L∞ ground metric between points (max(|Δbirth|,
/// |Δdeath|)) and a point's distance to the diagonal (death − birth) / 2 — GUDHI's conventions.
/// </summary>
/// <remarks>
/// By default only finite pairs are compared, as GUDHI does. With <c>includeEssential</c>, the essential classes
/// are matched to each other by birth (sorted, which is optimal on a line): equal counts add max/sum of |Δbirth|,
/// different counts make the distance +∞. Pairs with an infinite death are not finite and are not compared.
/// </remarks>
public static class DiagramDistance
{
    /// <summary>
    /// The bottleneck distance: the smallest ε such that a matching (points may go to the diagonal) moves nothing
    /// by more than ε. Geometric (no (n + m)² matrix; see <see cref="BottleneckMatching"/>): 10,000 against 10,000
    /// pairs take well under a second.
    /// </summary>
    /// <exception cref="ArgumentNullException">A diagram is null.</exception>
    public static double Bottleneck(PersistenceDiagram first, PersistenceDiagram second, bool includeEssential = false)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        double result = BottleneckMatching.Distance(Finite(first), Finite(second));
        return includeEssential ? Math.Max(result, EssentialGaps(first, second).DefaultIfEmpty(0).Max()) : result;
    }

    /// <summary>Σ costᵠ by the exact Hungarian assignment on the dense matrix (the reference the auction is tested against).</summary>
    internal static double WassersteinDense(PersistenceDiagram first, PersistenceDiagram second, double order)
    {
        double[,] cost = CostMatrix(Finite(first), Finite(second), order);
        return cost.GetLength(0) == 0 ? 0 : Hungarian(cost);
    }

    /// <summary>The bottleneck distance by binary search over the dense matrix's entries (the reference the geometric search is tested against).</summary>
    internal static double BottleneckDense(PersistenceDiagram first, PersistenceDiagram second)
    {
        double[,] cost = CostMatrix(Finite(first), Finite(second), 1);
        int size = cost.GetLength(0);
        double result = 0;
        if (size > 0)
        {
            double[] candidates = cost.Cast<double>().Distinct().Order().ToArray();
            int low = 0;
            int high = candidates.Length - 1;
            while (low < high)
            {
                int middle = (low + high) / 2;
                if (PerfectMatching(cost, candidates[middle]))
                {
                    high = middle;
                }
                else
                {
                    low = middle + 1;
                }
            }

            result = candidates[low];
        }

        return result;
    }

    /// <summary>Finite pairs (both diagrams) up to which the q-Wasserstein distance is the exact Hungarian assignment; beyond, the auction (relative error below 10⁻⁹).</summary>
    public const int ExactAssignmentLimit = 400;

    /// <summary>
    /// The q-Wasserstein distance: (min over matchings of Σ costᵠ)^(1/q). Up to <see cref="ExactAssignmentLimit"/>
    /// finite pairs in all, the exact Hungarian assignment; beyond, Bertsekas' auction with ε-scaling on the implicit
    /// problem (no (n + m)² matrix), whose Σ costᵠ is within a relative 10⁻⁹ of the optimum.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="order"/> is less than 1.</exception>
    public static double Wasserstein(PersistenceDiagram first, PersistenceDiagram second, double order = 1, bool includeEssential = false)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (double.IsNaN(order) || order < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "The Wasserstein order must be at least 1.");
        }

        (double Birth, double Death)[] a = Finite(first);
        (double Birth, double Death)[] b = Finite(second);
        double total;
        if (a.Length + b.Length <= ExactAssignmentLimit)
        {
            double[,] cost = CostMatrix(a, b, order);
            total = cost.GetLength(0) == 0 ? 0 : Hungarian(cost);
        }
        else
        {
            total = WassersteinAuction.TotalCost(a, b, order);
        }
        if (includeEssential)
        {
            total += EssentialGaps(first, second).Sum(g => Math.Pow(g, order));
        }

        return Math.Pow(total, 1 / order);
    }

    private static (double Birth, double Death)[] Finite(PersistenceDiagram diagram)
        => diagram.Pairs.Where(p => double.IsFinite(p.Birth) && double.IsFinite(p.Death)).Select(p => (p.Birth, p.Death)).ToArray();

    private static IEnumerable<double> EssentialGaps(PersistenceDiagram first, PersistenceDiagram second)
    {
        double[] a = first.Essential.Select(e => e.Birth).Order().ToArray();
        double[] b = second.Essential.Select(e => e.Birth).Order().ToArray();
        return a.Length != b.Length ? [double.PositiveInfinity] : a.Zip(b, (x, y) => Math.Abs(x - y));
    }

    /// <summary>
    /// The (n + m) × (n + m) matching problem: rows are A's points then B's diagonal copies, columns B's points
    /// then A's diagonal copies; a diagonal copy pairs with a diagonal copy for free.
    /// </summary>
    private static double[,] CostMatrix((double Birth, double Death)[] a, (double Birth, double Death)[] b, double power)
    {
        int n = a.Length;
        int m = b.Length;
        var cost = new double[n + m, n + m];
        double P(double x) => power == 1 ? x : Math.Pow(x, power);
        for (int i = 0; i < n + m; i++)
        {
            for (int j = 0; j < n + m; j++)
            {
                cost[i, j] = (i < n, j < m) switch
                {
                    (true, true) => P(Math.Max(Math.Abs(a[i].Birth - b[j].Birth), Math.Abs(a[i].Death - b[j].Death))),
                    (true, false) => j - m == i ? P((a[i].Death - a[i].Birth) / 2) : double.PositiveInfinity,
                    (false, true) => i - n == j ? P((b[j].Death - b[j].Birth) / 2) : double.PositiveInfinity,
                    _ => 0,
                };
            }
        }

        return cost;
    }

    /// <summary>Whether a perfect matching uses only entries ≤ <paramref name="epsilon"/> (Kuhn's augmenting paths).</summary>
    private static bool PerfectMatching(double[,] cost, double epsilon)
    {
        int size = cost.GetLength(0);
        var matchOfColumn = new int[size];
        Array.Fill(matchOfColumn, -1);
        for (int row = 0; row < size; row++)
        {
            if (!Augment(row, new bool[size]))
            {
                return false;
            }
        }

        return true;

        bool Augment(int row, bool[] seen)
        {
            for (int column = 0; column < size; column++)
            {
                if (cost[row, column] <= epsilon && !seen[column])
                {
                    seen[column] = true;
                    if (matchOfColumn[column] < 0 || Augment(matchOfColumn[column], seen))
                    {
                        matchOfColumn[column] = row;
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>Minimum-cost perfect matching (Hungarian algorithm with potentials, O(n³)); returns its cost.</summary>
    private static double Hungarian(double[,] cost)
    {
        int n = cost.GetLength(0);
        var u = new double[n + 1];
        var v = new double[n + 1];
        var p = new int[n + 1];
        var way = new int[n + 1];
        for (int i = 1; i <= n; i++)
        {
            p[0] = i;
            int j0 = 0;
            var minimum = new double[n + 1];
            var used = new bool[n + 1];
            Array.Fill(minimum, double.PositiveInfinity);
            do
            {
                used[j0] = true;
                int i0 = p[j0];
                double delta = double.PositiveInfinity;
                int j1 = 0;
                for (int j = 1; j <= n; j++)
                {
                    if (used[j])
                    {
                        continue;
                    }

                    double current = cost[i0 - 1, j - 1] - u[i0] - v[j];
                    if (current < minimum[j])
                    {
                        minimum[j] = current;
                        way[j] = j0;
                    }

                    if (minimum[j] < delta)
                    {
                        delta = minimum[j];
                        j1 = j;
                    }
                }

                for (int j = 0; j <= n; j++)
                {
                    if (used[j])
                    {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minimum[j] -= delta;
                    }
                }

                j0 = j1;
            }
            while (p[j0] != 0);

            do
            {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            }
            while (j0 != 0);
        }

        double total = 0;
        for (int j = 1; j <= n; j++)
        {
            total += cost[p[j] - 1, j - 1];
        }

        return total;
    }
}
