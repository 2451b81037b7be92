using System.Globalization;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;
using LossLandscape.Topology.Tests.Support;

namespace LossLandscape.Topology.Tests.Persistence;

public class DiagramDistanceTests
{
    [Test]
    public void CanMatchBruteForceOverEveryMatchingOfSmallDiagrams()
    {
        var random = new Random(8);
        for (int trial = 0; trial < 200; trial++)
        {
            PersistenceDiagram a = RandomDiagram(random, random.Next(0, 4));
            PersistenceDiagram b = RandomDiagram(random, random.Next(0, 4));
            (double bottleneck, double wasserstein1, double wasserstein2) = BruteForce(a, b);
            Assert.That(DiagramDistance.Bottleneck(a, b), Is.EqualTo(bottleneck).Within(1e-12), $"trial {trial}");
            Assert.That(DiagramDistance.Wasserstein(a, b, 1), Is.EqualTo(wasserstein1).Within(1e-12), $"trial {trial}");
            Assert.That(DiagramDistance.Wasserstein(a, b, 2), Is.EqualTo(wasserstein2).Within(1e-12), $"trial {trial}");
        }
    }

    [Test]
    public void GeometricBottleneckEqualsTheDenseSearchBitForBit()
    {
        var random = new Random(21);
        for (int trial = 0; trial < 300; trial++)
        {
            // Ties galore (values on a coarse lattice), empty diagrams, points on the diagonal, unequal sizes.
            int n = random.Next(0, trial < 100 ? 6 : 60);
            int m = random.Next(0, trial < 100 ? 6 : 60);
            PersistenceDiagram a = trial % 3 == 0 ? RandomDiagram(random, n) : Diagram(random, 3 + random.Next(8), 3 + random.Next(8));
            PersistenceDiagram b = trial % 3 == 0 ? RandomDiagram(random, m) : Diagram(random, 3 + random.Next(8), 3 + random.Next(8));
            Assert.That(DiagramDistance.Bottleneck(a, b), Is.EqualTo(DiagramDistance.BottleneckDense(a, b)), $"trial {trial}: {Format(a)} | {Format(b)}");
        }
    }

    [Test]
    public void AuctionMatchesTheExactAssignmentToOneInABillion([Values(1.0, 2.0)] double order)
    {
        var random = new Random(33);
        for (int trial = 0; trial < 40; trial++)
        {
            PersistenceDiagram a = trial % 2 == 0 ? RandomDiagram(random, random.Next(0, 120)) : Diagram(random, 5 + random.Next(14), 5 + random.Next(14));
            PersistenceDiagram b = trial % 2 == 0 ? RandomDiagram(random, random.Next(0, 120)) : Diagram(random, 5 + random.Next(14), 5 + random.Next(14));
            var fa = a.Pairs.Select(p => (p.Birth, p.Death)).ToArray();
            var fb = b.Pairs.Select(p => (p.Birth, p.Death)).ToArray();
            double exact = DiagramDistance.WassersteinDense(a, b, order);
            double auction = WassersteinAuction.TotalCost(fa, fb, order);
            Assert.That(auction, Is.EqualTo(exact).Within(1e-9 * Math.Max(exact, 1e-300) + 1e-15), $"trial {trial}: {fa.Length} vs {fb.Length}");
            Assert.That(auction, Is.GreaterThanOrEqualTo(exact * (1 - 1e-12)), "never below the optimum");
        }

        Assert.That(WassersteinAuction.TotalCost([(0, 1), (0.5, 2)], [(0, 1), (0.5, 2)], order), Is.Zero.Within(1e-15), "equal diagrams");
    }

    [Test]
    public void CanMatchGudhiOnDiagramsOfRandomLandscapes()
    {
        string? unavailable = SystemPython.Unavailable("gudhi", "python3-gudhi");
        if (unavailable is not null)
        {
            Assert.Ignore(unavailable);
        }

        var random = new Random(9);
        var lines = new List<string>();
        var ours = new List<(double, double)>();
        for (int trial = 0; trial < 15; trial++)
        {
            PersistenceDiagram a = Diagram(random, 12, 14);
            PersistenceDiagram b = Diagram(random, 11, 13);
            ours.Add((DiagramDistance.Bottleneck(a, b), DiagramDistance.Wasserstein(a, b, 1)));
            lines.Add(Format(a) + "|" + Format(b));
        }

        string input = Path.GetTempFileName();
        File.WriteAllLines(input, lines);
        string script = """
            import sys, numpy as np, gudhi
            from gudhi.wasserstein import wasserstein_distance
            def parse(s):
                return np.array([[float(v) for v in p.split(',')] for p in s.split(';') if p]).reshape(-1, 2)
            for line in open(sys.argv[1]):
                a, b = line.strip().split('|')
                A, B = parse(a), parse(b)
                print(repr(gudhi.bottleneck_distance(A, B, 0)), repr(wasserstein_distance(A, B, order=1, internal_p=np.inf)))
            """;
        (int code, string output) = SystemPython.RunScript(script, input);
        File.Delete(input);
        Assert.That(code, Is.Zero, output);
        string[] rows = output.Trim().Split('\n');
        for (int t = 0; t < ours.Count; t++)
        {
            double[] theirs = rows[t].Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            Assert.That(ours[t].Item1, Is.EqualTo(theirs[0]).Within(1e-9), $"bottleneck, pair {t}");
            Assert.That(ours[t].Item2, Is.EqualTo(theirs[1]).Within(1e-9 * Math.Max(1, theirs[1])), $"Wasserstein, pair {t}");
        }
    }

    [Test]
    public void CanCompareEssentialClassesWhenAsked()
    {
        var a = new PersistenceDiagram([new PersistencePair(0, 1, 1, 2)], [new EssentialClass(2, 0, 3, 5)]);
        var b = new PersistenceDiagram([new PersistencePair(0, 1, 1, 2)], [new EssentialClass(2, 0.25, 3, 5)]);
        var c = new PersistenceDiagram([], []);
        Assert.That(DiagramDistance.Bottleneck(a, b), Is.Zero);
        Assert.That(DiagramDistance.Bottleneck(a, b, includeEssential: true), Is.EqualTo(0.25));
        Assert.That(DiagramDistance.Wasserstein(a, b, 1, includeEssential: true), Is.EqualTo(0.25));
        Assert.That(DiagramDistance.Bottleneck(a, c, includeEssential: true), Is.EqualTo(double.PositiveInfinity));
        Assert.That(DiagramDistance.Bottleneck(a, c), Is.EqualTo(0.5), "the pair (1, 2) goes to the diagonal");
        Assert.Throws<ArgumentOutOfRangeException>(() => DiagramDistance.Wasserstein(a, b, 0.5));
    }

    private static PersistenceDiagram Diagram(Random random, int rows, int cols)
    {
        var values = Enumerable.Range(0, rows * cols).Select(_ => Math.Round(random.NextDouble(), 3)).ToArray();
        return new MergeTreeBuilder().Build(GridGraphBuilder.Full, Landscape.FromGrid(values, [rows, cols])).ToPersistenceDiagram();
    }

    private static PersistenceDiagram RandomDiagram(Random random, int count)
    {
        var pairs = new List<PersistencePair>();
        for (int i = 0; i < count; i++)
        {
            double birth = Math.Round(random.NextDouble(), 2);
            pairs.Add(new PersistencePair(i, birth, i, birth + Math.Round(random.NextDouble(), 2)));
        }

        return new PersistenceDiagram(pairs, []);
    }

    private static string Format(PersistenceDiagram d)
        => string.Join(';', d.Pairs.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Birth:R},{p.Death:R}")));

    /// <summary>Every bijection between A ∪ diag(B) and B ∪ diag(A).</summary>
    private static (double Bottleneck, double W1, double W2) BruteForce(PersistenceDiagram a, PersistenceDiagram b)
    {
        var pa = a.Pairs.Select(p => (p.Birth, p.Death)).ToArray();
        var pb = b.Pairs.Select(p => (p.Birth, p.Death)).ToArray();
        int n = pa.Length;
        int m = pb.Length;
        int size = n + m;
        double Cost(int i, int j)
        {
            if (i < n && j < m)
            {
                return Math.Max(Math.Abs(pa[i].Birth - pb[j].Birth), Math.Abs(pa[i].Death - pb[j].Death));
            }

            if (i < n)
            {
                return j - m == i ? (pa[i].Death - pa[i].Birth) / 2 : double.PositiveInfinity;
            }

            if (j < m)
            {
                return i - n == j ? (pb[j].Death - pb[j].Birth) / 2 : double.PositiveInfinity;
            }

            return 0;
        }

        double bottleneck = size == 0 ? 0 : double.PositiveInfinity;
        double w1 = size == 0 ? 0 : double.PositiveInfinity;
        double w2 = size == 0 ? 0 : double.PositiveInfinity;
        foreach (int[] permutation in Permutations(Enumerable.Range(0, size).ToArray()))
        {
            double max = 0;
            double sum1 = 0;
            double sum2 = 0;
            for (int i = 0; i < size; i++)
            {
                double c = Cost(i, permutation[i]);
                max = Math.Max(max, c);
                sum1 += c;
                sum2 += c * c;
            }

            bottleneck = Math.Min(bottleneck, max);
            w1 = Math.Min(w1, sum1);
            w2 = Math.Min(w2, sum2);
        }

        return (bottleneck, w1, Math.Sqrt(w2));
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (int i = 0; i < items.Length; i++)
        {
            int[] rest = items.Where((_, k) => k != i).ToArray();
            foreach (int[] tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
