using System.Collections.Immutable;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Plotting;

/// <summary>
/// A planar layout of a merge tree by its branch decomposition, as TTK's planar merge-tree layout and the paper's
/// figures draw it: every branch is a vertical segment at its own x, from its minimum up to the saddle where it
/// joins its parent branch (a horizontal connector at the saddle's height). The essential branch is the trunk; each
/// branch's children sit beside it, alternately right and left, the one joining lowest nearest. Every node of a
/// child's subtree lies below the saddle where the child joins, so a connector only ever passes over lower
/// branches: no two segments cross. y is the value.
/// </summary>
public sealed class MergeTreeLayout
{
    private MergeTreeLayout(double[] x, double[] columns)
    {
        X = [.. x];
        BranchX = [.. columns];
    }

    /// <summary>Horizontal position of every node (whole numbers: one column per branch).</summary>
    public ImmutableArray<double> X { get; }

    /// <summary>Horizontal position of every branch's vertical segment, by branch id.</summary>
    public ImmutableArray<double> BranchX { get; }

    /// <summary>Computes the layout.</summary>
    public static MergeTreeLayout Of(MergeTree tree) => Of(tree, null);

    /// <summary>
    /// The layout of the branches <paramref name="keep"/> marks (a set closed under parents, as the k most persistent
    /// branches are: a parent is at least as persistent as its child); the others get no column (NaN).
    /// </summary>
    internal static MergeTreeLayout Of(MergeTree tree, bool[]? keep)
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
            if (!b.IsEssential && (keep is null || keep[b.Id]))
            {
                children[b.Parent].Add(b.Id);
            }
        }

        // Lowest saddle first (ties by id): that child goes nearest its parent.
        foreach (List<int> list in children)
        {
            list.Sort((a, b) => branches[a].Death != branches[b].Death ? branches[a].Death.CompareTo(branches[b].Death) : a.CompareTo(b));
        }

        // A parent is born before its children (elder rule), and branch ids are birth order, so a pass from the
        // last id to the first sees every child before its parent: subtree widths without recursion.
        var width = new int[branches.Length];
        var leftWidth = new int[branches.Length];
        for (int b = branches.Length - 1; b >= 0; b--)
        {
            width[b] = 1;
            for (int k = 0; k < children[b].Count; k++)
            {
                width[b] += width[children[b][k]];
                if (k % 2 == 1)
                {
                    leftWidth[b] += width[children[b][k]];
                }
            }
        }

        // Blocks of columns: essential branches side by side, then each branch's children outward from it.
        var start = new int[branches.Length];
        var column = new double[branches.Length];
        Array.Fill(column, double.NaN);
        int next = 0;
        foreach (MergeTreeBranch essential in branches.Where(b => b.IsEssential && (keep is null || keep[b.Id])))
        {
            start[essential.Id] = next;
            next += width[essential.Id];
        }

        for (int b = 0; b < branches.Length; b++)
        {
            if (keep is not null && !keep[b])
            {
                continue;
            }

            int own = start[b] + leftWidth[b];
            column[b] = own;
            int right = own + 1;
            int left = own;
            for (int k = 0; k < children[b].Count; k++)
            {
                int c = children[b][k];
                if (k % 2 == 0)
                {
                    start[c] = right;
                    right += width[c];
                }
                else
                {
                    left -= width[c];
                    start[c] = left;
                }
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
            if (keep is not null && !keep[b.Id])
            {
                continue; // a dropped branch is younger than every kept one it meets, so it claims no kept node
            }

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

        return new MergeTreeLayout(x, column);
    }
}
