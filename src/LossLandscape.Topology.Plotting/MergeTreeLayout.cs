using System.Collections.Immutable;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Plotting;

/// <summary>
/// Positions for drawing a merge tree by its branch decomposition: every branch is a vertical segment at its own
/// x, from its minimum up to the saddle where it joins its parent branch; branches are laid out left to right in
/// depth-first order, each parent's children placed right after it, older children first. y is the value.
/// </summary>
public sealed class MergeTreeLayout
{
    private MergeTreeLayout(double[] x) => X = [.. x];

    /// <summary>Horizontal position of every node (0, 1, 2, … per branch).</summary>
    public ImmutableArray<double> X { get; }

    /// <summary>Computes the layout.</summary>
    public static MergeTreeLayout Of(MergeTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var branches = tree.Branches;
        var children = new List<int>[branches.Length];
        for (int b = 0; b < branches.Length; b++)
        {
            children[b] = [];
        }

        foreach (MergeTreeBranch b in branches)
        {
            if (!b.IsEssential)
            {
                children[b.Parent].Add(b.Id);
            }
        }

        // Branch ids are birth order, so each child list is already oldest first. Iterative DFS: no recursion depth limit.
        var column = new double[branches.Length];
        int next = 0;
        var stack = new Stack<int>();
        foreach (MergeTreeBranch essential in branches.Where(b => b.IsEssential).Reverse())
        {
            stack.Push(essential.Id);
        }

        while (stack.Count > 0)
        {
            int b = stack.Pop();
            column[b] = next++;
            for (int c = children[b].Count - 1; c >= 0; c--)
            {
                stack.Push(children[b][c]);
            }
        }

        // A node sits on the branch that passes through it: a minimum on its own branch, a saddle or root on the
        // eldest branch meeting there (the one that continues upward).
        var x = new double[tree.Nodes.Length];
        var assigned = new bool[x.Length];
        foreach (MergeTreeBranch b in branches)
        {
            x[b.Minimum] = column[b.Id];
            assigned[b.Minimum] = true;
        }

        // Walk each branch upward from its minimum; a node is claimed by the first (oldest) branch that reaches it
        // without dying, i.e. the continuing one. Branches in birth order: older branches claim first.
        foreach (MergeTreeBranch b in branches)
        {
            int node = b.Minimum;
            while (true)
            {
                int parent = tree.ParentOf(node);
                if (parent < 0 || node == b.Top)
                {
                    break;
                }

                if (!assigned[parent])
                {
                    x[parent] = column[b.Id];
                    assigned[parent] = true;
                }

                if (parent == b.Top)
                {
                    break;
                }

                node = parent;
            }
        }

        return new MergeTreeLayout(x);
    }
}
