using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;
using LossLandscape.Topology.Tests.Support;

namespace LossLandscape.Topology.Tests.Persistence;

/// <summary>
/// Our 8-neighbour grid diagram against GUDHI's cubical complex on top-dimensional cells (8-connected), an
/// independent implementation. GUDHI leaves out pairs of zero persistence, so the comparison is over pairs of
/// positive persistence, with each essential class as (birth, +∞).
/// </summary>
public class GudhiCrossCheckTests
{
    [Test]
    public void CanMatchGudhiOnRandomGrids([Values(0, 3, 8)] int distinctValues, [Values(false, true)] bool withInfinityAndNaN)
    {
        string? unavailable = Gudhi.Unavailable();
        if (unavailable is not null)
        {
            Assert.Ignore(unavailable);
        }

        var random = new Random(500 + distinctValues + (withInfinityAndNaN ? 100 : 0));
        var grids = new List<double[,]>();
        var ours = new List<List<(double, double)>>();
        var options = new MergeTreeOptions { NaNHandling = NaNHandling.TreatAsPositiveInfinity };
        for (int trial = 0; trial < 40; trial++)
        {
            int rows = random.Next(1, 25);
            int cols = random.Next(1, 25);
            var grid = new double[rows, cols];
            var forGudhi = new double[rows, cols];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    double v = distinctValues > 0 ? random.Next(distinctValues) : Math.Round(random.NextDouble(), 6);
                    if (withInfinityAndNaN && random.Next(10) == 0)
                    {
                        v = random.Next(2) == 0 ? double.NaN : double.PositiveInfinity;
                    }

                    grid[i, j] = v;
                    forGudhi[i, j] = double.IsNaN(v) ? double.PositiveInfinity : v; // GUDHI mishandles NaN
                }
            }

            grids.Add(forGudhi);
            Landscape landscape = Landscape.FromGrid(grid);
            PersistenceDiagram diagram = new MergeTreeBuilder(options).Build(GridGraphBuilder.Full, landscape).ToPersistenceDiagram();
            ours.Add(diagram.Pairs.Where(p => p.Death > p.Birth).Select(p => (p.Birth, p.Death))
                .Concat(diagram.Essential.Select(e => (e.Birth, double.PositiveInfinity)))
                .Order().ToList());
        }

        List<List<(double Birth, double Death)>> theirs = Gudhi.ZeroDimensionalPairs(grids);
        int nonTrivial = 0;
        for (int t = 0; t < grids.Count; t++)
        {
            var expected = theirs[t].Where(p => p.Death > p.Birth || double.IsPositiveInfinity(p.Death)).Order().ToList();
            Assert.That(ours[t], Is.EqualTo(expected), $"grid {t} ({grids[t].GetLength(0)}×{grids[t].GetLength(1)})");
            nonTrivial += expected.Count > 1 ? 1 : 0;
        }

        Assert.That(nonTrivial, Is.GreaterThan(20), "most grids should have finite pairs to compare");
    }
}
