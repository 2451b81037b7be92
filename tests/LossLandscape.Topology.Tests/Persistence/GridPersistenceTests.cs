using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;
using LossLandscape.Topology.Tests.Support;

namespace LossLandscape.Topology.Tests.Persistence;

/// <summary>
/// Persistence in every computed dimension against GUDHI, pair for pair (zero-persistence pairs aside, which GUDHI
/// leaves out), on random grids with ties and ±∞; and small cases with known holes.
/// </summary>
public class GridPersistenceTests
{
    [Test]
    public void CanFindTheOneHoleOfARing()
    {
        // A ring at 0 around a centre at 5, on a plateau at 9: the ring closes at 0 (8 neighbours: its diagonal
        // corners connect), and the hole fills when the centre enters at 5.
        double[,] grid =
        {
            { 9, 9, 9, 9, 9 },
            { 9, 0, 0, 0, 9 },
            { 9, 0, 5, 0, 9 },
            { 9, 0, 0, 0, 9 },
            { 9, 9, 9, 9, 9 },
        };
        PersistenceDiagram holes = GridPersistence.Diagram(Landscape.FromGrid(grid), 1);
        Assert.That(holes.Dimension, Is.EqualTo(1));
        Assert.That(holes.Essential, Is.Empty);
        Assert.That(holes.Pairs.Where(p => p.Persistence > 0).Select(p => (p.Birth, p.Death)), Is.EqualTo(new[] { (0.0, 5.0) }));
        Assert.That(holes.Pairs.Single(p => p.Persistence > 0).DeathVertex, Is.EqualTo(12), "the centre fills the hole");
    }

    [Test]
    public void CanTellTheConnectivitiesApartOnADiagonalRing()
    {
        // A diamond of 0s: 8-neighbour cells close it around the centre (a hole born at 0); when the centre enters at 5
        // it touches the diamond's four sides diagonally and cuts the hole into four, three of them born then; all fill
        // at 9. 4-neighbour vertices never close the diamond: no hole.
        double[,] grid =
        {
            { 9, 9, 0, 9, 9 },
            { 9, 0, 9, 0, 9 },
            { 0, 9, 5, 9, 0 },
            { 9, 0, 9, 0, 9 },
            { 9, 9, 0, 9, 9 },
        };
        Landscape landscape = Landscape.FromGrid(grid);
        Assert.That(GridPersistence.Diagram(landscape, 1, GridConnectivity.Full).Pairs.Where(p => p.Persistence > 0).Select(p => (p.Birth, p.Death)), Is.EqualTo(new[] { (0.0, 9.0), (5.0, 9.0), (5.0, 9.0), (5.0, 9.0) }));
        Assert.That(GridPersistence.Diagram(landscape, 1, GridConnectivity.Axis).Pairs.Where(p => p.Persistence > 0), Is.Empty);
    }

    [Test]
    public void MatchesGudhiOnRandom2DGrids(
        [Values(GridConnectivity.Full, GridConnectivity.Axis)] GridConnectivity connectivity,
        [Values(0, 3)] int distinctValues)
    {
        IgnoreWithoutGudhi();
        var random = new Random(500 + (10 * (int)connectivity) + distinctValues);
        var grids = new List<(double[] Values, int[] Shape)>();
        for (int trial = 0; trial < 40; trial++)
        {
            int[] shape = [random.Next(1, 13), random.Next(1, 13)];
            grids.Add((RandomValues(random, shape, distinctValues), shape));
        }

        AssertMatchesGudhi(grids, connectivity);
    }

    [Test]
    public void MatchesGudhiOnRandom3DGrids(
        [Values(GridConnectivity.Full, GridConnectivity.Axis)] GridConnectivity connectivity,
        [Values(0, 3)] int distinctValues)
    {
        IgnoreWithoutGudhi();
        var random = new Random(700 + (10 * (int)connectivity) + distinctValues);
        var grids = new List<(double[] Values, int[] Shape)>();
        for (int trial = 0; trial < 25; trial++)
        {
            int[] shape = [random.Next(1, 7), random.Next(1, 7), random.Next(1, 7)];
            grids.Add((RandomValues(random, shape, distinctValues), shape));
        }

        AssertMatchesGudhi(grids, connectivity);
    }

    [Test]
    public void CanGiveTheHolesOf2DGridsByCohomologyAsByDuality([Values(GridConnectivity.Full, GridConnectivity.Axis)] GridConnectivity connectivity)
    {
        // Two independent computations of the same pairs: the explicit complex's cohomology and the dual sweep.
        var random = new Random(900 + (int)connectivity);
        for (int trial = 0; trial < 60; trial++)
        {
            int[] shape = [random.Next(1, 11), random.Next(1, 11)];
            Landscape landscape = Landscape.FromGrid(RandomValues(random, shape, trial % 2 == 0 ? 3 : 0), shape);
            var byDuality = GridPersistence.Diagram(landscape, 1, connectivity).Pairs.Where(p => p.Persistence > 0).Select(p => (p.Birth, p.Death)).Order();
            var byCohomology = CubicalCohomology.Pairs(landscape, 1, connectivity == GridConnectivity.Axis, nanAsInfinity: false).Select(p => (p.Birth, p.Death)).Order();
            Assert.That(byCohomology, Is.EqualTo(byDuality), $"trial {trial}, shape ({shape[0]}, {shape[1]})");
        }
    }

    [Test]
    public void CanFindTheTunnelOfASolidTorus([Values(GridConnectivity.Full, GridConnectivity.Axis)] GridConnectivity connectivity)
    {
        // A 5 × 5 × 3 block at 9 with a ring of 0s round the middle column of the middle layer: the ring is a loop (a
        // 1-cycle) born at 0 that dies when the middle column fills at 9.
        var values = Enumerable.Repeat(9.0, 5 * 5 * 3).ToArray();
        foreach ((int i, int j) in new[] { (1, 1), (1, 2), (1, 3), (2, 3), (3, 3), (3, 2), (3, 1), (2, 1) })
        {
            values[(((i * 5) + j) * 3) + 1] = 0;
        }

        PersistenceDiagram loops = GridPersistence.Diagram(Landscape.FromGrid(values, [5, 5, 3]), 1, connectivity);
        Assert.That(loops.Pairs.Select(p => (p.Birth, p.Death)), Is.EqualTo(new[] { (0.0, 9.0) }));
        Assert.That(loops.Dimension, Is.EqualTo(1));
    }

    [Test]
    public void LargeGridsGiveTheSameHolesByDualityAsByCohomology([Values(GridConnectivity.Full, GridConnectivity.Axis)] GridConnectivity connectivity)
    {
        // 300 × 250 with ties: tens of thousands of holes, the dual sweep's against the explicit complex's.
        var random = new Random(31);
        Landscape landscape = Landscape.FromGrid(RandomValues(random, [300, 250], 50), [300, 250]);
        PersistenceDiagram holes = GridPersistence.Diagram(landscape, 1, connectivity);
        var byCohomology = CubicalCohomology.Pairs(landscape, 1, connectivity == GridConnectivity.Axis, nanAsInfinity: false).Select(p => (p.Birth, p.Death)).Order().ToList();
        Assert.That(holes.Pairs.Where(p => p.Persistence > 0).Select(p => (p.Birth, p.Death)).Order(), Is.EqualTo(byCohomology));
        Assert.That(byCohomology, Has.Count.GreaterThan(5000));
        Assert.That(holes.Pairs.Select(p => p.Birth), Is.Ordered, "sorted by birth");
    }

    [Test]
    public void HolesNameTheirCellsAndComeInOneOrder([Values(GridConnectivity.Full, GridConnectivity.Axis)] GridConnectivity connectivity, [Values(2, 3)] int dimensions)
    {
        // A hole is cut off at its birth cell's value and fills at its death cell's; the diagram is ordered by birth,
        // death, death cell and birth cell, so that runs of ties come out the same on every run.
        var random = new Random(1100 + (10 * (int)connectivity) + dimensions);
        for (int trial = 0; trial < (dimensions == 2 ? 30 : 10); trial++)
        {
            int[] shape = [.. Enumerable.Range(0, dimensions).Select(_ => random.Next(1, dimensions == 2 ? 40 : 12))];
            double[] values = RandomValues(random, shape, trial % 2 == 0 ? 4 : 0);
            PersistenceDiagram holes = GridPersistence.Diagram(Landscape.FromGrid(values, shape), dimensions - 1, connectivity);
            foreach (PersistencePair pair in holes.Pairs)
            {
                Assert.That((pair.Birth, pair.Death), Is.EqualTo((values[pair.BirthVertex], values[pair.DeathVertex])), $"trial {trial}: {pair}");
            }

            var keys = holes.Pairs.Select(p => (p.Birth, p.Death, p.DeathVertex, p.BirthVertex)).ToList();
            Assert.That(keys, Is.EqualTo(keys.Order().ToList()), $"trial {trial}, shape ({string.Join(", ", shape)})");
        }
    }

    [Test]
    public void RefusesWhatItDoesNotCompute()
    {
        Landscape square = Landscape.FromGrid(new double[,] { { 1, 2 }, { 3, 4 } });
        Landscape cube = Landscape.FromGrid(new double[8], [2, 2, 2]);
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => GridPersistence.Diagram(square, 2))!.Message, Does.Contain("dimensions 0 to 1"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => GridPersistence.Diagram(square, -1))!.ParamName, Is.EqualTo("dimension"));
        Assert.That(GridPersistence.Diagram(cube, 1).Dimension, Is.EqualTo(1));
        Assert.That(Assert.Throws<NotSupportedException>(() => GridPersistence.Diagram(square, 1, GridConnectivity.Freudenthal))!.Message, Does.Contain("Freudenthal"));
        Assert.That(Assert.Throws<NotSupportedException>(() => GridPersistence.Diagram(cube, 1, GridConnectivity.Freudenthal))!.Message, Does.Contain("Freudenthal"));
        Landscape cubeWithNaN = Landscape.FromGrid([1.0, 2, 3, double.NaN, 5, 6, 7, 8], [2, 2, 2]);
        Assert.That(Assert.Throws<ArgumentException>(() => GridPersistence.Diagram(cubeWithNaN, 1))!.Message, Does.Contain("NaN").And.Contain("(0, 1, 1)"));
        Landscape withNaN = Landscape.FromGrid(new double[,] { { 1, double.NaN }, { 3, 4 } });
        Assert.That(Assert.Throws<ArgumentException>(() => GridPersistence.Diagram(withNaN, 1))!.Message, Does.Contain("NaN").And.Contain("(0, 1)"));
        Assert.That(GridPersistence.Diagram(withNaN, 1, options: new MergeTreeOptions { NaNHandling = NaNHandling.TreatAsPositiveInfinity }).Pairs, Is.Empty);
        Landscape scattered = Landscape.FromPoints(new double[,] { { 0, 0 }, { 1, 0 }, { 0, 1 } }, [1.0, 2, 3]);
        Assert.Throws<ArgumentException>(() => GridPersistence.Diagram(scattered, 1));
        Assert.That(GridPersistence.Diagram(square, 0).Dimension, Is.Zero);
    }

    private static void IgnoreWithoutGudhi()
    {
        if (GudhiDiagrams.Unavailable() is { } unavailable)
        {
            Assert.Ignore(unavailable);
        }
    }

    private static double[] RandomValues(Random random, int[] shape, int distinctValues)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double u = random.NextDouble();
            values[i] = u < 0.06 ? double.PositiveInfinity : u < 0.09 ? double.NegativeInfinity
                : distinctValues > 0 ? random.Next(distinctValues) : random.NextDouble();
        }

        return values;
    }

    private static void AssertMatchesGudhi(List<(double[] Values, int[] Shape)> grids, GridConnectivity connectivity)
    {
        List<List<(int Dimension, double Birth, double Death)>> expected = GudhiDiagrams.Intervals(grids, vertexConstruction: connectivity == GridConnectivity.Axis);
        for (int g = 0; g < grids.Count; g++)
        {
            Landscape landscape = Landscape.FromGrid(grids[g].Values, grids[g].Shape);
            for (int dimension = 0; dimension < grids[g].Shape.Length; dimension++)
            {
                PersistenceDiagram diagram = GridPersistence.Diagram(landscape, dimension, connectivity);
                var ours = diagram.Pairs.Select(p => (p.Birth, p.Death))
                    .Concat(diagram.Essential.Select(e => (e.Birth, double.PositiveInfinity)))
                    .Where(p => p.Item2 > p.Item1)
                    .Order().ToList();
                var theirs = expected[g].Where(i => i.Dimension == dimension && i.Death > i.Birth).Select(i => (i.Birth, i.Death)).Order().ToList();
                Assert.That(ours, Is.EqualTo(theirs), $"grid {g} of shape ({string.Join(", ", grids[g].Shape)}), dimension {dimension}, {connectivity}");
            }
        }
    }
}
