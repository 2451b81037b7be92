namespace LossLandscape.Topology.ContourTrees;

/// <summary>
/// Carr, Snoeyink and Axen's merge of the augmented join and split trees into the augmented contour tree: a vertex
/// that is a leaf of one tree and has one child in the other is a leaf of the contour tree, and its arc is its arc in
/// the tree it is a leaf of; it is cut from both, and the walk goes on with the trees that are left.
/// </summary>
internal static class ContourTreeMerge
{
    /// <summary>The augmented contour tree's arcs, (lower vertex, upper vertex), one per vertex but the last of each connected part.</summary>
    /// <exception cref="InvalidOperationException">The trees do not describe one contour tree (the graph is no simply connected complex).</exception>
    public static (int Lower, int Upper)[] Merge(LevelSweeps.Tree join, LevelSweeps.Tree split)
    {
        // Both trees are consumed: copies keep the caller's.
        int[] jtParent = (int[])join.Parent.Clone();
        int[] jtCount = (int[])join.ChildCount.Clone();
        long[] jtSum = (long[])join.ChildSum.Clone();
        int[] stParent = (int[])split.Parent.Clone();
        int[] stCount = (int[])split.ChildCount.Clone();
        long[] stSum = (long[])split.ChildSum.Clone();
        int n = jtParent.Length;
        var removed = new bool[n];
        var leaves = new Stack<int>();
        bool IsLeaf(int v) => !removed[v] && jtCount[v] + stCount[v] == 1;
        for (int v = n - 1; v >= 0; v--)
        {
            if (IsLeaf(v))
            {
                leaves.Push(v);
            }
        }

        var arcs = new List<(int, int)>(n);
        while (leaves.Count > 0)
        {
            int x = leaves.Pop();
            if (!IsLeaf(x))
            {
                continue; // cut already, or the last vertex of its part
            }

            int y;
            if (stCount[x] == 0)
            {
                // An upper leaf (a maximum of what is left): its arc is its own split-tree arc, down to its parent there.
                // It leaves the split tree as a leaf and the join tree by joining its one child to its parent.
                y = stParent[x];
                arcs.Add((y, x));
                stCount[y]--;
                stSum[y] -= x;
                Contract(x, jtParent, jtSum);
            }
            else
            {
                // A lower leaf: the mirror image, through its join-tree arc up to its parent there.
                y = jtParent[x];
                arcs.Add((x, y));
                jtCount[y]--;
                jtSum[y] -= x;
                Contract(x, stParent, stSum);
            }

            removed[x] = true;
            if (IsLeaf(y))
            {
                leaves.Push(y);
            }

        }

        for (int v = 0; v < n; v++)
        {
            if (!removed[v] && jtCount[v] + stCount[v] != 0)
            {
                throw new InvalidOperationException(
                    $"The join and split trees of this graph do not merge into a contour tree (vertex {v} is left with {jtCount[v]} join and {stCount[v]} split children): its level sets are not those of a simply connected complex. On a grid, use GridConnectivity.Freudenthal.");
            }
        }

        return [.. arcs];
    }

    /// <summary>Takes out a vertex with one child: the child hangs from the vertex's parent instead.</summary>
    private static void Contract(int x, int[] parent, long[] childSum)
    {
        int child = (int)childSum[x];
        int p = parent[x];
        parent[child] = p;
        if (p >= 0)
        {
            childSum[p] += child - x;
        }
    }
}
