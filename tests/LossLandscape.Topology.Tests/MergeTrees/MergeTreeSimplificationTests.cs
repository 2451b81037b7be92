using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;
using LossLandscape.Topology.Tests.Support;

namespace LossLandscape.Topology.Tests.MergeTrees;

public class MergeTreeSimplificationTests
{
    [Test]
    public void CanRemoveShallowDentAndKeepDeepBasin()
    {
        // Deep basin (0) on the left, a shallow dent (2.5, pass 3) and a deeper basin (1, pass 6) on the right.
        double[,] values = { { 0, 6, 1, 3, 2.5, 7 } };
        Landscape landscape = Landscape.FromGrid(values);
        MergeTree tree = new MergeTreeBuilder().Build(GridGraphBuilder.Full, landscape);
        Assert.That(tree.MinimumCount, Is.EqualTo(3));

        MergeTree simplified = tree.Simplify(PersistenceThreshold.Absolute(1));
        Assert.Multiple(() =>
        {
            Assert.That(simplified.MinimumCount, Is.EqualTo(2));
            Assert.That(simplified.SaddleCount, Is.EqualTo(1));
            Assert.That(simplified.Nodes.Select(n => n.Vertex), Is.EqualTo(new[] { 0, 2, 1, 5 }));
            Assert.That(simplified.ToPersistenceDiagram().Pairs.Single(), Is.EqualTo(new PersistencePair(2, 1, 1, 6)));
            // Vertices 3 and 4 (the dent and its pass) now sit on the arc of the branch born at vertex 2.
            Assert.That(simplified.UpArcOf(1)!.Value.RegionVertexCount, Is.EqualTo(2));
            Assert.That(simplified.Arcs.Sum(a => a.RegionVertexCount) + simplified.Nodes.Length, Is.EqualTo(6));
        });

        MergeTree relative = tree.Simplify(PersistenceThreshold.Relative(0.5)); // cut 0.5 × 7 = 3.5: the pair of persistence 5 stays
        Assert.That(relative.MinimumCount, Is.EqualTo(2));
        MergeTree all = tree.Simplify(PersistenceThreshold.Relative(0.8)); // cut 5.6 removes both pairs
        Assert.That((all.MinimumCount, all.SaddleCount, all.Arcs.Single().RegionVertexCount), Is.EqualTo((1, 0, 4)));
    }

    [Test]
    public void CanKeepEveryPairAtZeroThreshold()
    {
        var random = new Random(11);
        Landscape landscape = RandomLandscapes.Grid(random, [30, 30], 4);
        MergeTree tree = new MergeTreeBuilder().Build(GridGraphBuilder.Full, landscape);
        MergeTree same = tree.Simplify(PersistenceThreshold.Absolute(0));
        Assert.That(same.Nodes, Is.EqualTo(tree.Nodes));
        Assert.That(same.Arcs, Is.EqualTo(tree.Arcs));
        Assert.That(same.Branches, Is.EqualTo(tree.Branches));
    }

    [Test]
    public void CanSimplifyRandomTreesConsistently([Values(0.05, 0.2, 0.5)] double fraction)
    {
        var random = new Random(12 + (int)(fraction * 100));
        for (int trial = 0; trial < 40; trial++)
        {
            Landscape landscape = RandomLandscapes.Grid(random, RandomLandscapes.Shape2D(random, 25), trial % 3 == 0 ? 5 : 0);
            MergeTree tree = new MergeTreeBuilder().Build(new GridGraphBuilder((GridConnectivity)(trial % 3)), landscape);
            double cut = fraction * (tree.FiniteMaximum - tree.FiniteMinimum);
            MergeTree simplified = tree.Simplify(PersistenceThreshold.Relative(fraction));
            var diagram = simplified.ToPersistenceDiagram();
            var expectedPairs = tree.ToPersistenceDiagram().Pairs.Where(p => p.Persistence >= cut);
            Assert.Multiple(() =>
            {
                Assert.That(diagram.Pairs, Is.EqualTo(expectedPairs), "kept pairs keep their pairing");
                Assert.That(simplified.Arcs.Sum(a => a.RegionVertexCount) + simplified.Nodes.Length, Is.EqualTo(landscape.Count), "every vertex is accounted for");
                Assert.That(simplified.MinimumCount, Is.EqualTo(diagram.Pairs.Length + 1));
                for (int node = 0; node < simplified.Nodes.Length; node++)
                {
                    int children = simplified.Arcs.Count(a => a.Upper == node);
                    MergeTreeNodeKind kind = simplified.Nodes[node].Kind;
                    if (kind == MergeTreeNodeKind.Minimum)
                    {
                        Assert.That(children, Is.Zero);
                    }
                    else if (kind == MergeTreeNodeKind.Saddle)
                    {
                        Assert.That(children, Is.GreaterThanOrEqualTo(2), "a kept saddle joins at least two components");
                    }

                    Assert.That(simplified.ParentOf(node) < 0, Is.EqualTo(simplified.Roots.Contains(node)));
                }
            });
        }
    }
}
