using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.MergeTrees;

/// <summary>
/// Persistence simplification on the tree itself, O(nodes): a branch is kept when its persistence reaches the
/// threshold (essential branches always are); a node is kept when it is a kept minimum, a saddle joining at
/// least two subtrees that hold kept minima, or a root. Chains of arcs through dropped saddles become one arc,
/// and the vertices of dropped subtrees are added to the arc of the eldest kept branch just below the node
/// where they hang.
/// </summary>
internal static class MergeTreeSimplifier
{
    public static MergeTree Simplify(MergeTree tree, PersistenceThreshold threshold)
    {
        double cut = threshold.Resolve(tree.FiniteMinimum, tree.FiniteMaximum);
        ReadOnlySpan<MergeTreeNode> nodes = tree.NodeSpan;
        ReadOnlySpan<MergeTreeArc> arcs = tree.ArcSpan;
        ReadOnlySpan<MergeTreeBranch> branches = tree.BranchSpan;
        ReadOnlySpan<int> upArc = tree.UpArcSpan;
        int nodeCount = nodes.Length;

        var keptBranch = new bool[branches.Length];
        var eldestKeptMinimum = new int[nodeCount]; // node id of the oldest kept minimum in the subtree, or −1
        Array.Fill(eldestKeptMinimum, -1);
        foreach (MergeTreeBranch b in branches)
        {
            keptBranch[b.Id] = b.IsEssential || b.Persistence >= cut;
            if (keptBranch[b.Id])
            {
                eldestKeptMinimum[b.Minimum] = b.Minimum;
            }
        }

        // Bottom-up pass (children have smaller ids than parents): subtree sizes and kept-children counts.
        var subtreeVertices = new long[nodeCount];
        var droppedMass = new long[nodeCount]; // vertices of dropped subtrees hanging directly at the node
        var keptChildren = new int[nodeCount];
        for (int x = 0; x < nodeCount; x++)
        {
            subtreeVertices[x] += 1;
            int a = upArc[x];
            if (a < 0)
            {
                continue;
            }

            int p = arcs[a].Upper;
            long mass = subtreeVertices[x] + arcs[a].RegionVertexCount;
            subtreeVertices[p] += mass;
            if (eldestKeptMinimum[x] < 0)
            {
                droppedMass[p] += mass;
            }
            else
            {
                keptChildren[p]++;
                if (eldestKeptMinimum[p] < 0 || eldestKeptMinimum[x] < eldestKeptMinimum[p])
                {
                    eldestKeptMinimum[p] = eldestKeptMinimum[x];
                }
            }
        }

        var newId = new int[nodeCount];
        var keptNodes = new List<MergeTreeNode>();
        for (int x = 0; x < nodeCount; x++)
        {
            MergeTreeNode node = nodes[x];
            bool isRoot = upArc[x] < 0;
            bool keep = node.Kind switch
            {
                MergeTreeNodeKind.Minimum => eldestKeptMinimum[x] == x,
                MergeTreeNodeKind.Saddle => keptChildren[x] >= 2 || isRoot,
                _ => true,
            };
            newId[x] = keep ? keptNodes.Count : -1;
            if (keep)
            {
                MergeTreeNodeKind kind = node.Kind == MergeTreeNodeKind.Saddle && keptChildren[x] < 2 ? MergeTreeNodeKind.Root : node.Kind;
                keptNodes.Add(node with { Id = keptNodes.Count, Kind = kind });
            }
        }

        var newArcs = new List<MergeTreeArc>();
        for (int x = 0; x < nodeCount; x++)
        {
            if (newId[x] < 0 || upArc[x] < 0)
            {
                continue;
            }

            long count = arcs[upArc[x]].RegionVertexCount;
            int y = arcs[upArc[x]].Upper;
            while (newId[y] < 0)
            {
                // y is a dropped saddle with exactly one kept child (ours): it and all it carries become regular.
                count += 1 + droppedMass[y] + arcs[upArc[y]].RegionVertexCount;
                y = arcs[upArc[y]].Upper;
            }

            if (eldestKeptMinimum[x] == eldestKeptMinimum[y])
            {
                count += droppedMass[y];
            }

            newArcs.Add(new MergeTreeArc(newId[x], newId[y], checked((int)count)));
        }

        var newBranches = new List<MergeTreeBranch>();
        var newBranchId = new int[branches.Length];
        foreach (MergeTreeBranch b in branches)
        {
            newBranchId[b.Id] = keptBranch[b.Id] ? newBranches.Count : -1;
            if (keptBranch[b.Id])
            {
                int parent = b.Parent < 0 ? -1 : newBranchId[b.Parent];
                newBranches.Add(b with { Id = newBranches.Count, Minimum = newId[b.Minimum], Top = newId[b.Top], Parent = parent });
            }
        }

        int[] roots = tree.Roots.Select(r => newId[r]).ToArray();
        return new MergeTree(tree.VertexCount, keptNodes.ToArray(), newArcs.ToArray(), newBranches.ToArray(), roots, tree.Landscape, tree.FiniteMinimum, tree.FiniteMaximum);
    }
}
