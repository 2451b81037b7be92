using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Tests.Graphs;

public class DelaunayGraphBuilderTests
{
    [Test]
    public void CanTriangulateRandomPointsWithEmptyCircumcircles([Values(3, 10, 2000)] int n)
    {
        var random = new Random(n);
        double[] x = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        double[] y = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        AssertDelaunay(x, y);
    }

    [Test]
    public void CanTriangulateDegenerateInputs()
    {
        // A regular grid (every interior quadrilateral cocircular), exactly and as linspace coordinates.
        (double[] gx, double[] gy) = Grid(20, 25, (i, j) => (i, j));
        AssertDelaunay(gx, gy);
        (double[] lx, double[] ly) = Grid(21, 21, (i, j) => (-1 + (i * 0.1), -1 + (j * 0.1)));
        AssertDelaunay(lx, ly);

        // Points on a circle (all cocircular) and a grid with duplicates.
        double[] cx = Enumerable.Range(0, 64).Select(k => Math.Cos(2 * Math.PI * k / 64)).ToArray();
        double[] cy = Enumerable.Range(0, 64).Select(k => Math.Sin(2 * Math.PI * k / 64)).ToArray();
        AssertDelaunay(cx, cy);
        NeighborGraph withDuplicates = DelaunayGraphBuilder.Build([0.0, 1, 0, 1, 1, 0.5], [0.0, 0, 1, 1, 1, 0.5]);
        Assert.That(Neighbors(withDuplicates, 4), Does.Contain(3), "a repeated point is joined to its twin");
        Assert.That(Connected(withDuplicates), Is.True);
    }

    [Test]
    public void CanJoinCollinearPointsIntoAPath()
    {
        NeighborGraph line = DelaunayGraphBuilder.Build([3.0, 0, 2, 1, 4], [6.0, 0, 4, 2, 8]);
        Assert.That(line.EdgeCount, Is.EqualTo(4));
        Assert.That(Neighbors(line, 1), Is.EqualTo(new[] { 3 }));
        Assert.That(Neighbors(line, 2), Is.EquivalentTo(new[] { 0, 3 }));
    }

    [Test]
    public void CanBuildGabrielGraphEqualToBruteForce([Values(false, true)] bool grid)
    {
        double[] x;
        double[] y;
        if (grid)
        {
            (x, y) = Grid(12, 13, (i, j) => (i, j));
        }
        else
        {
            var random = new Random(5);
            x = Enumerable.Range(0, 300).Select(_ => random.NextDouble()).ToArray();
            y = Enumerable.Range(0, 300).Select(_ => random.NextDouble()).ToArray();
        }

        NeighborGraph gabriel = GabrielGraphBuilder.Build(x, y);
        NeighborGraph delaunay = DelaunayGraphBuilder.Build(x, y);
        int n = x.Length;
        for (int p = 0; p < n; p++)
        {
            for (int q = p + 1; q < n; q++)
            {
                bool empty = true;
                for (int r = 0; r < n && empty; r++)
                {
                    empty = r == p || r == q || ((x[p] - x[r]) * (x[q] - x[r])) + ((y[p] - y[r]) * (y[q] - y[r])) > 0; // the closed disc must be empty
                }

                bool inGabriel = Neighbors(gabriel, p).Contains(q);
                Assert.That(inGabriel, Is.EqualTo(empty), $"edge ({p}, {q})");
                if (inGabriel)
                {
                    Assert.That(Neighbors(delaunay, p), Does.Contain(q), "Gabriel ⊆ Delaunay");
                }
            }
        }
    }

    [Test]
    public void BuildFailsOnLandscapesThatAreNotTwoDimensional()
    {
        var landscape = Landscape.FromPoints(new double[,] { { 0, 0, 0 }, { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, [1.0, 2, 3, 4]);
        Assert.That(Assert.Throws<ArgumentException>(() => new DelaunayGraphBuilder().Build(landscape))!.Message, Does.Contain("3-D"));
        Assert.That(Assert.Throws<ArgumentException>(() => DelaunayGraphBuilder.Build([0.0, double.NaN], [0.0, 1]))!.Message, Does.Contain("Point 1"));
    }

    private static void AssertDelaunay(double[] x, double[] y)
    {
        var d = DelaunayGraphBuilder.Triangulate(x, y);
        Assert.That(d.Skipped, Is.Empty, "every point is triangulated");
        ReadOnlySpan<int> t = d.Triangles;
        double scale = Math.Max(x.Max() - x.Min(), y.Max() - y.Min());
        for (int k = 0; k < t.Length; k += 3)
        {
            int a = t[k];
            int b = t[k + 1];
            int c = t[k + 2];
            Assert.That(Delaunay.Orient(x[a], y[a], x[b], y[b], x[c], y[c]), Is.GreaterThan(0), $"triangle {k / 3} is counter-clockwise and not flat");
            for (int p = 0; p < x.Length; p++)
            {
                if (p != a && p != b && p != c && d.DuplicateOf[p] < 0)
                {
                    double inside = Delaunay.InCircle(x[a], y[a], x[b], y[b], x[c], y[c], x[p], y[p]);
                    Assert.That(inside, Is.LessThanOrEqualTo(1e-9 * scale * scale * scale * scale), $"point {p} inside the circumcircle of triangle {k / 3}");
                }
            }
        }

        NeighborGraph graph = DelaunayGraphBuilder.Build(x, y);
        Assert.That(Connected(graph), Is.True);
        int unique = d.DuplicateOf.Count(v => v < 0);
        if (x.Length >= 3 && !d.IsCollinear)
        {
            // Euler: a triangulation of n points with h on the hull has 2n − 2 − h triangles; so T ≤ 2n − 5.
            Assert.That(d.TriangleCount, Is.LessThanOrEqualTo((2 * unique) - 5 + 1));
        }
    }

    private static (double[] X, double[] Y) Grid(int rows, int cols, Func<int, int, (double, double)> at)
    {
        var x = new double[rows * cols];
        var y = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                (x[(i * cols) + j], y[(i * cols) + j]) = at(i, j);
            }
        }

        return (x, y);
    }

    private static int[] Neighbors(NeighborGraph graph, int v) => graph.Targets[graph.Offsets[v]..graph.Offsets[v + 1]].ToArray();

    private static bool Connected(NeighborGraph graph)
    {
        var seen = new bool[graph.VertexCount];
        var queue = new Queue<int>([0]);
        seen[0] = true;
        while (queue.Count > 0)
        {
            foreach (int u in Neighbors(graph, queue.Dequeue()))
            {
                if (!seen[u])
                {
                    seen[u] = true;
                    queue.Enqueue(u);
                }
            }
        }

        return seen.All(s => s);
    }
}
