using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Plotting.Tests;

public class MergeTreeLayoutTests
{
    [Test]
    public void CanGiveEveryBranchItsOwnVerticalLine()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 30; trial++)
        {
            double[] values = Enumerable.Range(0, 15 * 17).Select(_ => (double)random.Next(20)).ToArray();
            MergeTree tree = new MergeTreeBuilder().Build(GridGraphBuilder.Full, Landscape.FromGrid(values, [15, 17]));
            MergeTreeLayout layout = MergeTreeLayout.Of(tree);
            double[] columns = tree.Branches.Select(b => layout.X[b.Minimum]).ToArray();
            Assert.That(columns.Distinct().Count(), Is.EqualTo(tree.Branches.Length), "one column per branch");
            Assert.That(columns.Order(), Is.EqualTo(Enumerable.Range(0, columns.Length).Select(i => (double)i)));
            foreach (MergeTreeBranch b in tree.Branches.Where(b => !b.IsEssential))
            {
                MergeTreeBranch parent = tree.Branches[b.Parent];
                Assert.That(layout.X[b.Top], Is.EqualTo(layout.X[parent.Minimum]), "a branch ends on its parent's line");
                Assert.That(layout.X[b.Minimum], Is.GreaterThan(layout.X[parent.Minimum]), "children to the right of their parent");
            }

            Assert.That(layout.X[tree.Roots[0]], Is.EqualTo(layout.X[tree.Branches[0].Minimum]), "the root on the essential branch");
        }
    }
}
