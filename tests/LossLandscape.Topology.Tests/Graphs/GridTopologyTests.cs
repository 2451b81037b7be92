using LossLandscape.Topology.Graphs;

namespace LossLandscape.Topology.Tests.Graphs;

public class GridTopologyTests
{
    [TestCase(1, GridConnectivity.Axis, 2)]
    [TestCase(1, GridConnectivity.Full, 2)]
    [TestCase(1, GridConnectivity.Freudenthal, 2)]
    [TestCase(2, GridConnectivity.Axis, 4)]
    [TestCase(2, GridConnectivity.Full, 8)]
    [TestCase(2, GridConnectivity.Freudenthal, 6)]
    [TestCase(3, GridConnectivity.Axis, 6)]
    [TestCase(3, GridConnectivity.Full, 26)]
    [TestCase(3, GridConnectivity.Freudenthal, 14)]
    [TestCase(4, GridConnectivity.Full, 80)]
    [TestCase(4, GridConnectivity.Freudenthal, 30)]
    public void CanBuildStencilOfExpectedSize(int dimension, GridConnectivity connectivity, int size)
    {
        var grid = new GridTopology(Enumerable.Repeat(5, dimension).ToArray(), connectivity);
        Assert.That(grid.StencilSize, Is.EqualTo(size));
    }

    [Test]
    public void CanPutFreudenthalDiagonalsWhereTtkDoes()
    {
        // [i, j] with j fastest: the diagonals of (2, 2) are (1, 3) and (3, 1).
        var grid = new GridTopology([5, 5], GridConnectivity.Freudenthal);
        var neighbors = new int[6];
        int count = grid.GetNeighbors(12, neighbors);
        Assert.That(neighbors[..count].Order(), Is.EqualTo(new[] { 7, 8, 11, 13, 16, 17 }));
    }

    [Test]
    public void CanMaterializeSymmetricCsrWithMatchingEdgeCount(
        [Values(GridConnectivity.Axis, GridConnectivity.Full, GridConnectivity.Freudenthal)] GridConnectivity connectivity)
    {
        int[][] shapes = [[1], [7], [1, 1], [1, 6], [4, 1], [5, 7], [3, 4, 2], [2, 3, 2, 3]];
        foreach (int[] shape in shapes)
        {
            NeighborGraph graph = NeighborGraph.ForGrid(new GridTopology(shape, connectivity));
            // FromCsr validates symmetry, ranges and duplicates: it throws if the stencil were inconsistent.
            NeighborGraph validated = NeighborGraph.FromCsr(graph.Offsets, graph.Targets);
            Assert.That(validated.EdgeCount, Is.EqualTo(graph.Grid!.EdgeCount), $"shape {string.Join('x', shape)}");
            Assert.That(validated.MaxDegree, Is.EqualTo(graph.MaxDegree), $"shape {string.Join('x', shape)}");
        }
    }

    [Test]
    public void CanCountEdgesOfTwoDimensionalGrids()
    {
        // rows × cols grid: axis edges r(c−1) + c(r−1); full adds 2(r−1)(c−1); Freudenthal adds (r−1)(c−1).
        int r = 6, c = 9;
        long axis = (r * (c - 1)) + (c * (r - 1));
        Assert.That(new GridTopology([r, c], GridConnectivity.Axis).EdgeCount, Is.EqualTo(axis));
        Assert.That(new GridTopology([r, c], GridConnectivity.Full).EdgeCount, Is.EqualTo(axis + (2 * (r - 1) * (c - 1))));
        Assert.That(new GridTopology([r, c], GridConnectivity.Freudenthal).EdgeCount, Is.EqualTo(axis + ((r - 1) * (c - 1))));
    }

    [Test]
    public void ConstructorFailsOnBadShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GridTopology([3, 0], GridConnectivity.Full));
        Assert.That(ex!.Message, Does.Contain("Axis 1 has 0 samples"));
        Assert.Throws<ArgumentException>(() => new GridTopology([], GridConnectivity.Full));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GridTopology([3], (GridConnectivity)17));
    }
}
