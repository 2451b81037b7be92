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
        ReadOnlySpan<int> upNode = tree.UpNodes;
        ReadOnlySpan<int> upCount = tree.UpCounts;
        ReadOnlySpan<int> branchMinimum = tree.BranchMinima;
        ReadOnlySpan<int> branchTop = tree.BranchTops;
        ReadOnlySpan<int> branchParent = tree.BranchParents;
        int nodeCount = nodes.Length;

        var keptBranch = new bool[branchMinimum.Length];
        var eldestKeptMinimum = new int[nodeCount]; // node id of the oldest kept minimum in the subtree, or −1
        Array.Fill(eldestKeptMinimum, -1);
        for (int b = 0; b < keptBranch.Length; b++)
        {
            double persistence = nodes[branchTop[b]].Value - nodes[branchMinimum[b]].Value;
            keptBranch[b] = branchParent[b] < 0 || persistence >= cut;
            if (keptBranch[b])
            {
                eldestKeptMinimum[branchMinimum[b]] = branchMinimum[b];
            }
        }

        // Bottom-up pass (children have smaller ids than parents): subtree sizes and kept-children counts.
        var subtreeVertices = new long[nodeCount];
        var droppedMass = new long[nodeCount]; // vertices of dropped subtrees hanging directly at the node
        var keptChildren = new int[nodeCount];
        for (int x = 0; x < nodeCount; x++)
        {
            subtreeVertices[x] += 1;
            int p = upNode[x];
            if (p < 0)
            {
                continue;
            }

            long mass = subtreeVertices[x] + upCount[x];
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
            bool isRoot = upNode[x] < 0;
            bool keep = node.Kind switch
            {
                MergeTreeNodeKind.Minimum => eldestKeptMinimum[x] == x,
                MergeTreeNodeKind.Saddle => keptChildren[x] >= 2 || isRoot,
                _ => true,
            };
            newId[x] = keep ? keptNodes.Count : -1;
            if (keep)
            {
                // A root saddle left with a single kept child is now just the top of its component.
                MergeTreeNodeKind kind = node.Kind == MergeTreeNodeKind.Saddle && keptChildren[x] < 2 ? MergeTreeNodeKind.Root : node.Kind;
                keptNodes.Add(node with { Kind = kind });
            }
        }

        var newUpNode = new int[keptNodes.Count];
        var newUpCount = new int[keptNodes.Count];
        for (int x = 0; x < nodeCount; x++)
        {
            if (newId[x] < 0)
            {
                continue;
            }

            newUpNode[newId[x]] = -1;
            if (upNode[x] < 0)
            {
                continue;
            }

            long count = upCount[x];
            int y = upNode[x];
            while (newId[y] < 0)
            {
                // y is a dropped saddle with exactly one kept child (ours): it and all it carries become regular.
                count += 1 + droppedMass[y] + upCount[y];
                y = upNode[y];
            }

            if (eldestKeptMinimum[x] == eldestKeptMinimum[y])
            {
                count += droppedMass[y];
            }

            newUpNode[newId[x]] = newId[y];
            newUpCount[newId[x]] = checked((int)count);
        }

        var newBranchId = new int[keptBranch.Length];
        var minima = new List<int>();
        var tops = new List<int>();
        var parents = new List<int>();
        for (int b = 0; b < keptBranch.Length; b++)
        {
            newBranchId[b] = keptBranch[b] ? minima.Count : -1;
            if (keptBranch[b])
            {
                minima.Add(newId[branchMinimum[b]]);
                tops.Add(newId[branchTop[b]]);
                parents.Add(branchParent[b] < 0 ? -1 : newBranchId[branchParent[b]]);
            }
        }

        int[] roots = tree.Roots.Select(r => newId[r]).ToArray();
        return new MergeTree(
            tree.VertexCount, keptNodes.ToArray(), newUpNode, newUpCount,
            minima.Count, minima.ToArray(), tops.ToArray(), parents.ToArray(),
            roots, tree.Landscape, tree.FiniteMinimum, tree.FiniteMaximum);
    }
}
