using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Tests.MergeTrees;

public class MergeTreeBuilderTests
{
    private static MergeTree Tree(double[,] values, GridConnectivity connectivity = GridConnectivity.Full, MergeTreeOptions? options = null)
    {
        Landscape landscape = Landscape.FromGrid(values);
        return new MergeTreeBuilder(options).Build(new GridGraphBuilder(connectivity).Build(landscape), landscape);
    }

    [Test]
    public void CanBuildTreeOfOneBowl()
    {
        var landscape = Landscape.FromFunction(p => (p[0] * p[0]) + (p[1] * p[1]),
            LandscapeAxis.Linspace("x", -1, 1, 21), LandscapeAxis.Linspace("y", -1, 1, 21));
        MergeTree tree = new MergeTreeBuilder().Build(GridGraphBuilder.Full, landscape);
        Assert.Multiple(() =>
        {
            Assert.That(tree.MinimumCount, Is.EqualTo(1));
            Assert.That(tree.SaddleCount, Is.Zero);
            Assert.That(tree.Nodes, Has.Length.EqualTo(2));
            Assert.That(tree.GetCoordinates(0), Is.EqualTo(new[] { 0.0, 0.0 }).Within(1e-15));
            Assert.That(tree.Nodes[1].Kind, Is.EqualTo(MergeTreeNodeKind.Root));
            Assert.That(tree.Nodes[1].Value, Is.EqualTo(2.0).Within(1e-12));
            Assert.That(tree.Arcs.Single().RegionVertexCount, Is.EqualTo((21 * 21) - 2));
            Assert.That(tree.ToPersistenceDiagram().Pairs, Is.Empty);
        });
    }

    [Test]
    public void CanSeparateTwoBasinsByARidge()
    {
        double[,] values =
        {
            { 5, 4, 6, 3, 5 },
            { 4, 1, 7, 0, 4 },
            { 5, 4, 6, 3, 5 },
        };
        MergeTree tree = Tree(values);
        PersistencePair pair = tree.ToPersistenceDiagram().Pairs.Single();
        Assert.Multiple(() =>
        {
            Assert.That(tree.MinimumCount, Is.EqualTo(2));
            Assert.That(tree.SaddleCount, Is.EqualTo(1));
            Assert.That(pair.Birth, Is.EqualTo(1));
            Assert.That(pair.BirthVertex, Is.EqualTo(6));
            Assert.That(pair.Death, Is.EqualTo(6), "the lowest pass over the ridge (8-connected) is 6");
            Assert.That(pair.Persistence, Is.EqualTo(5));
            Assert.That(tree.ToPersistenceDiagram().Essential.Single(), Is.EqualTo(new EssentialClass(8, 0, 7, 7)));
        });
    }

    [Test]
    public void CanPairMultiSaddleWithKMinusOneDeaths()
    {
        // Three basins (0, 1, 2) around the centre vertex 4 (value 5); with 4-connectivity they meet only there.
        double[,] values =
        {
            { 9, 0, 9 },
            { 1, 5, 2 },
            { 9, 9, 9 },
        };
        MergeTree tree = Tree(values, GridConnectivity.Axis);
        PersistenceDiagram diagram = tree.ToPersistenceDiagram();
        Assert.Multiple(() =>
        {
            Assert.That(tree.MinimumCount, Is.EqualTo(3));
            Assert.That(tree.SaddleCount, Is.EqualTo(1));
            Assert.That(diagram.Pairs.Select(p => (p.Birth, p.Death)), Is.EquivalentTo(new[] { (1.0, 5.0), (2.0, 5.0) }));
            Assert.That(diagram.Pairs.Select(p => p.DeathVertex).Distinct().Single(), Is.EqualTo(4));
            Assert.That(tree.Branches.Where(b => !b.IsEssential).Select(b => b.Parent), Is.All.EqualTo(0));
        });
    }

    [Test]
    public void CanOrderPlateauOfExactTiesByIndex()
    {
        var values = new double[4, 5];
        MergeTree tree = Tree(values);
        Assert.Multiple(() =>
        {
            Assert.That(tree.MinimumCount, Is.EqualTo(1));
            Assert.That(tree.Nodes[0].Vertex, Is.Zero, "the lowest index wins a tie");
            Assert.That(tree.Nodes[^1].Vertex, Is.EqualTo(19), "the highest index is the top");
            Assert.That(tree.SaddleCount, Is.Zero);
        });
    }

    [Test]
    public void CanPairAcrossAStripByIndexOrder()
    {
        // 1 × N strip [1, 0, 1, 0, 1]: the second 0 (vertex 3) is younger and dies at vertex 2, the first 1 to join both.
        MergeTree tree = Tree(new double[,] { { 1, 0, 1, 0, 1 } });
        PersistencePair pair = tree.ToPersistenceDiagram().Pairs.Single();
        Assert.That((pair.BirthVertex, pair.DeathVertex, pair.Persistence), Is.EqualTo((3, 2, 1.0)));
    }

    [Test]
    public void CanCreateZeroPersistencePairsFromTies()
    {
        // [1, 1, 0]: vertex 0 comes before vertex 1 and sees no lower neighbour, so it is a minimum that dies at once at vertex 1.
        MergeTree tree = Tree(new double[,] { { 1, 1, 0 } });
        PersistencePair pair = tree.ToPersistenceDiagram().Pairs.Single();
        Assert.That((pair.BirthVertex, pair.DeathVertex, pair.Persistence), Is.EqualTo((0, 1, 0.0)));
    }

    [Test]
    public void CanBuildTreeOfSingleVertex()
    {
        MergeTree tree = Tree(new double[,] { { 3.5 } });
        Assert.Multiple(() =>
        {
            Assert.That(tree.Nodes.Single().Kind, Is.EqualTo(MergeTreeNodeKind.Minimum));
            Assert.That(tree.Roots.Single(), Is.Zero);
            Assert.That(tree.Arcs, Is.Empty);
            Assert.That(tree.ToPersistenceDiagram().Essential.Single(), Is.EqualTo(new EssentialClass(0, 3.5, 0, 3.5)));
        });
    }

    [Test]
    public void CanOrderPositiveInfinityLast()
    {
        double inf = double.PositiveInfinity;
        double[,] values = { { 0, inf, 1, inf, 2 } };
        MergeTree tree = Tree(values);
        PersistenceDiagram diagram = tree.ToPersistenceDiagram();
        Assert.Multiple(() =>
        {
            Assert.That(tree.MinimumCount, Is.EqualTo(3));
            Assert.That(diagram.Pairs.Select(p => (p.Birth, p.Death)), Is.EquivalentTo(new[] { (1.0, inf), (2.0, inf) }));
            Assert.That(diagram.Essential.Single().Maximum, Is.EqualTo(inf));
            Assert.That(tree.FiniteMaximum, Is.EqualTo(2));
        });
    }

    [Test]
    public void BuildFailsOnNaNNamingItsGridIndex()
    {
        var values = new double[4, 6];
        values[2, 3] = double.NaN;
        values[3, 1] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => Tree(values));
        Assert.That(ex!.Message, Does.Contain("grid index (2, 3)").And.Contain("NaN"));
        Assert.That(ex.ParamName, Is.EqualTo("landscape"));
    }

    [Test]
    public void CanReadNaNAsPositiveInfinityWhenAsked()
    {
        double[,] values = { { 0, double.NaN, 1 } };
        var options = new MergeTreeOptions { NaNHandling = NaNHandling.TreatAsPositiveInfinity };
        MergeTree tree = Tree(values, GridConnectivity.Full, options);
        PersistencePair pair = tree.ToPersistenceDiagram().Pairs.Single();
        Assert.That((pair.Birth, pair.Death, pair.DeathVertex), Is.EqualTo((1.0, double.PositiveInfinity, 1)));
    }

    [Test]
    public void BuildFailsOnCountMismatch()
    {
        NeighborGraph graph = NeighborGraph.FromEdges(3, [(0, 1)]);
        var ex = Assert.Throws<ArgumentException>(() => new MergeTreeBuilder().Build(graph, [1.0, 2.0]));
        Assert.That(ex!.Message, Does.Contain("3 vertices").And.Contain("2 values"));
    }

    [Test]
    public void BuildFailsOnGridShapeMismatch()
    {
        NeighborGraph graph = GridGraphBuilder.Full.Build(Landscape.FromGrid(new double[3, 4]));
        var ex = Assert.Throws<ArgumentException>(() => new MergeTreeBuilder().Build(graph, Landscape.FromGrid(new double[4, 3])));
        Assert.That(ex!.Message, Does.Contain("(3, 4)").And.Contain("(4, 3)"));
    }

    [Test]
    public void CanBuildTreeOfEmptyGraph()
    {
        MergeTree tree = new MergeTreeBuilder().Build(NeighborGraph.FromEdges(0, []), ReadOnlySpan<double>.Empty);
        Assert.That((tree.Nodes.Length, tree.Roots.Length, tree.ToPersistenceDiagram().Pairs.Length), Is.EqualTo((0, 0, 0)));
    }

    [Test]
    public void CanHandleNegativeZeroAsATieWithZero()
    {
        double[,] values = { { 0.0, 1, -0.0 } };
        MergeTree tree = Tree(values);
        Assert.That(tree.ToPersistenceDiagram().Pairs.Single().BirthVertex, Is.EqualTo(2), "−0 ties with +0, so index decides");
    }

    [Test]
    public void CanReportOneEssentialClassPerConnectedPart()
    {
        NeighborGraph graph = NeighborGraph.FromEdges(5, [(0, 1), (3, 4)]);
        MergeTree tree = new MergeTreeBuilder().Build(graph, [3.0, 1, 0, 2, 5]);
        PersistenceDiagram diagram = tree.ToPersistenceDiagram();
        Assert.Multiple(() =>
        {
            Assert.That(tree.Roots, Has.Length.EqualTo(3));
            Assert.That(diagram.Pairs, Is.Empty);
            Assert.That(diagram.Essential.Select(e => (e.BirthVertex, e.MaximumVertex)), Is.EqualTo(new[] { (2, 2), (1, 0), (3, 4) }));
        });
    }
}
