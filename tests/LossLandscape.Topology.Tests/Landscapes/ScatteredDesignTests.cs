using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Tests.Landscapes;

public class ScatteredDesignTests
{
    [Test]
    public void CanStratifyEveryAxisWithALatinHypercube()
    {
        double[,] points = ScatteredDesign.LatinHypercube(50, ScatteredDesign.Cube(4, -1, 1), seed: 3);
        for (int d = 0; d < 4; d++)
        {
            int[] slices = Enumerable.Range(0, 50).Select(i => (int)Math.Floor((points[i, d] + 1) / 2 * 50)).Order().ToArray();
            Assert.That(slices, Is.EqualTo(Enumerable.Range(0, 50)), $"axis {d}: one point per slice");
        }

        Assert.That(ScatteredDesign.LatinHypercube(50, ScatteredDesign.Cube(4, -1, 1), seed: 3), Is.EqualTo(points), "seeded");
    }

    [Test]
    public void CanProduceTheHaltonSequence()
    {
        double[,] points = ScatteredDesign.Halton(4, ScatteredDesign.Cube(2, 0, 1));
        Assert.That(Enumerable.Range(0, 4).Select(i => points[i, 0]), Is.EqualTo(new[] { 0.5, 0.25, 0.75, 0.125 }).Within(1e-15));
        Assert.That(Enumerable.Range(0, 4).Select(i => points[i, 1]), Is.EqualTo(new[] { 1 / 3.0, 2 / 3.0, 1 / 9.0, 4 / 9.0 }).Within(1e-15));
        double[,] shifted = ScatteredDesign.Halton(100, ScatteredDesign.Cube(3, -2, 2), seed: 7);
        Assert.That(shifted.Cast<double>().All(v => v >= -2 && v < 2), Is.True);
        Assert.That(shifted[0, 0], Is.Not.EqualTo(0).And.Not.EqualTo(-2 + (4 * 0.5)), "a seed shifts the sequence");
    }

    [Test]
    public void CanTreatSeedZeroLikeEveryOtherSeed()
    {
        // Seed 0 is a seed like any other: it shifts Halton points (the plain sequence is asked for with null), and
        // the shift is one constant per axis, modulo 1.
        double[,] plain = ScatteredDesign.Halton(64, ScatteredDesign.Cube(2, 0, 1), seed: null);
        foreach (int seed in new[] { 0, 1 })
        {
            double[,] shifted = ScatteredDesign.Halton(64, ScatteredDesign.Cube(2, 0, 1), seed: seed);
            for (int d = 0; d < 2; d++)
            {
                double shift = shifted[0, d] - plain[0, d];
                Assert.That(shift, Is.Not.EqualTo(0), $"seed {seed} shifts axis {d}");
                for (int i = 0; i < 64; i++)
                {
                    double expected = plain[i, d] + shift;
                    expected -= Math.Floor(expected);
                    Assert.That(shifted[i, d], Is.EqualTo(expected).Within(1e-12), $"seed {seed}, point {i}, axis {d}");
                }
            }
        }

        Assert.That(ScatteredDesign.Uniform(10, [(0, 1)], 0), Is.Not.EqualTo(ScatteredDesign.Uniform(10, [(0, 1)], 1)));
    }

    [Test]
    public void CanDrawUniformPointsInTheBox()
    {
        double[,] points = ScatteredDesign.Uniform(1000, [(0, 1), (10, 20)], seed: 1);
        Assert.That(Enumerable.Range(0, 1000).All(i => points[i, 0] is >= 0 and < 1 && points[i, 1] is >= 10 and < 20), Is.True);
        Assert.That(Enumerable.Range(0, 1000).Average(i => points[i, 1]), Is.EqualTo(15).Within(0.5));
        Assert.That(Assert.Throws<ArgumentException>(() => ScatteredDesign.Uniform(5, [(1, 0)], 1))!.Message, Does.Contain("min < max"));
    }

    [Test]
    public void CanFindTheKnownMinimaOfASampledSmoothFunction([Values(2, 5)] int dimension)
    {
        // Wells at known places: the landscape's minima are exactly these, one per basin.
        double[][] wells = dimension == 2
            ? [[-0.5, -0.5], [0.5, -0.5], [-0.5, 0.5], [0.5, 0.5]]
            : [[-0.5, 0, 0, 0, 0], [0.5, 0, 0, 0, 0]];
        int count = dimension == 2 ? 3000 : 6000;
        double[,] points = dimension == 2
            ? ScatteredDesign.Halton(count, ScatteredDesign.Cube(2, -1, 1), seed: 2)
            : ScatteredDesign.LatinHypercube(count, ScatteredDesign.Cube(5, -1, 1), seed: 2);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = wells.Min(w => Enumerable.Range(0, dimension).Sum(d => (points[i, d] - w[d]) * (points[i, d] - w[d])));
        }

        // In 5-D a point's few nearest neighbours rarely surround it on every side, so a sparse sample has spurious
        // minima with k = 8; k = 40 neighbours do surround it at this density.
        var landscape = Landscape.FromPoints(points, values);
        MergeTree tree = new MergeTreeBuilder().Build(new KnnGraphBuilder(dimension == 2 ? 8 : 40), landscape);
        TestContext.Out.WriteLine($"{dimension}-D: {tree.MinimumCount} minima: {string.Join("; ", tree.Nodes.Where(n => n.Kind == MergeTreeNodeKind.Minimum).Select(n => string.Join(",", landscape.GetCoordinates(n.Vertex).Select(c => c.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))))}");
        Assert.That(tree.MinimumCount, Is.EqualTo(wells.Length));
        Assert.That(tree.SaddleCount, Is.GreaterThanOrEqualTo(1));
        foreach (double[] well in wells)
        {
            Assert.That(tree.Nodes.Where(n => n.Kind == MergeTreeNodeKind.Minimum).Select(n => landscape.GetCoordinates(n.Vertex))
                .Any(c => Enumerable.Range(0, dimension).All(d => Math.Abs(c[d] - well[d]) < 0.3)), Is.True, "a minimum near each well");
        }
    }
}
