using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Tests.Graphs;

public class NeighborGraphTests
{
    [Test]
    public void CanBuildFromEdgesMergingDuplicates()
    {
        NeighborGraph graph = NeighborGraph.FromEdges(4, [(0, 1), (1, 0), (2, 1), (0, 1)]);
        Assert.Multiple(() =>
        {
            Assert.That(graph.EdgeCount, Is.EqualTo(2));
            Assert.That(graph.Offsets.ToArray(), Is.EqualTo(new[] { 0, 1, 3, 4, 4 }));
            Assert.That(graph.Targets.ToArray(), Is.EqualTo(new[] { 1, 0, 2, 1 }));
            Assert.That(graph.GetDegree(3), Is.Zero);
            Assert.That(graph.MaxDegree, Is.EqualTo(2));
        });
    }

    [Test]
    public void FromEdgesFailsOnSelfLoopOrVertexOutOfRange()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => NeighborGraph.FromEdges(3, [(0, 3)]))!.Message, Does.Contain("(0, 3)"));
        Assert.That(Assert.Throws<ArgumentException>(() => NeighborGraph.FromEdges(3, [(1, 1)]))!.Message, Does.Contain("itself"));
    }

    [Test]
    public void FromCsrFailsOnAsymmetricOrMalformedArrays()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => NeighborGraph.FromCsr([0, 1, 1], [1]))!.Message, Does.Contain("no reverse edge"));
        Assert.That(Assert.Throws<ArgumentException>(() => NeighborGraph.FromCsr([0, 2, 1], [1, 1]))!.Message, Does.Contain("end at the number of targets").Or.Contain("decrease"));
        Assert.That(Assert.Throws<ArgumentException>(() => NeighborGraph.FromCsr([0, 1, 2], [0, 1]))!.Message, Does.Contain("own neighbour"));
        Assert.That(Assert.Throws<ArgumentException>(() => NeighborGraph.FromCsr([0, 2, 4], [1, 1, 0, 0]))!.Message, Does.Contain("twice"));
    }

    [Test]
    public void GridBuilderFailsOnScatteredLandscape()
    {
        var landscape = Landscape.FromPoints(new double[,] { { 0, 0 }, { 1, 1 } }, [1.0, 2.0]);
        var ex = Assert.Throws<ArgumentException>(() => GridGraphBuilder.Full.Build(landscape));
        Assert.That(ex!.ParamName, Is.EqualTo("landscape"));
    }

    [Test]
    public void CanEnumerateGridNeighborsWithoutMaterializing()
    {
        NeighborGraph graph = GridGraphBuilder.Full.Build(Landscape.FromGrid(new double[3, 4]));
        var buffer = new int[graph.MaxDegree];
        Assert.Multiple(() =>
        {
            Assert.That(graph.GetNeighbors(0, buffer), Is.EqualTo(3));
            Assert.That(graph.GetDegree(5), Is.EqualTo(8));
            Assert.That(graph.EdgeCount, Is.EqualTo(3 * 3 + 4 * 2 + 2 * 2 * 3));
        });
    }
}
