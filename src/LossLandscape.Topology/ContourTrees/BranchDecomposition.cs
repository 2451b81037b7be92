namespace LossLandscape.Topology.ContourTrees;

/// <summary>
/// The persistence-ordered branch decomposition of a contour tree (Pascucci, Cole-McLaughlin and Scorzelli 2004):
/// repeatedly cut the leaf arc of least persistence whose saddle keeps another arc on the leaf's side; a saddle left
/// with one arc above and one below joins them into one longer arc, and one left with arcs on one side only becomes a
/// leaf. What is left of each connected part is its main branch. Ties in persistence are cut in arc order, so the
/// result depends only on the tree.
/// </summary>
internal static class BranchDecomposition
{
    private sealed class LiveArc(int lower, int upper)
    {
        public int Lower = lower;
        public int Upper = upper;
        public bool Alive = true;
        public List<int> Interior = []; // nodes that became regular on this arc
    }

    public static ContourTreeBranch[] Decompose(ContourTreeNode[] nodes, ContourTreeArc[] arcs)
    {
        var live = new List<LiveArc>(arcs.Length);
        var up = new List<int>[nodes.Length];
        var down = new List<int>[nodes.Length];
        for (int i = 0; i < nodes.Length; i++)
        {
            up[i] = [];
            down[i] = [];
        }

        var queue = new PriorityQueue<int, (double, int)>();
        int Add(int lower, int upper, List<int> interior)
        {
            int id = live.Count;
            live.Add(new LiveArc(lower, upper) { Interior = interior });
            up[lower].Add(id);
            down[upper].Add(id);
            if (IsLeafArc(id))
            {
                queue.Enqueue(id, (Persistence(nodes[lower].Value, nodes[upper].Value), id));
            }

            return id;
        }

        bool IsLeafArc(int id)
        {
            LiveArc a = live[id];
            return (up[a.Upper].Count == 0 && down[a.Upper].Count == 1) || (down[a.Lower].Count == 0 && up[a.Lower].Count == 1);
        }

        foreach (ContourTreeArc arc in arcs)
        {
            int id = live.Count;
            live.Add(new LiveArc(arc.Lower, arc.Upper));
            up[arc.Lower].Add(id);
            down[arc.Upper].Add(id);
        }

        for (int id = 0; id < live.Count; id++)
        {
            if (IsLeafArc(id))
            {
                queue.Enqueue(id, (Persistence(nodes[live[id].Lower].Value, nodes[live[id].Upper].Value), id));
            }
        }

        var branches = new List<(int Lower, int Upper, int Saddle)>();
        var owner = new int[nodes.Length];
        Array.Fill(owner, -1);

        // A branch owns the nodes inside it and its leaf end (a saddle that became a leaf belongs to the branch that
        // ends there); the saddles branches hang from then name their parents.
        void Own(LiveArc a, int branch, int leaf)
        {
            foreach (int node in a.Interior)
            {
                owner[node] = branch;
            }

            if (owner[leaf] < 0)
            {
                owner[leaf] = branch;
            }
        }
        while (queue.TryDequeue(out int id, out _))
        {
            LiveArc a = live[id];
            if (!a.Alive)
            {
                continue;
            }

            // The saddle end must keep an arc on the leaf's side, or the cut would split the part in two.
            int saddle;
            if (up[a.Upper].Count == 0 && down[a.Upper].Count == 1 && up[a.Lower].Count >= 2)
            {
                saddle = a.Lower;
                up[saddle].Remove(id);
            }
            else if (down[a.Lower].Count == 0 && up[a.Lower].Count == 1 && down[a.Upper].Count >= 2)
            {
                saddle = a.Upper;
                down[saddle].Remove(id);
            }
            else
            {
                continue; // not cuttable now; it comes back as part of a longer arc, or stays as a main branch
            }

            a.Alive = false;
            int branch = branches.Count;
            branches.Add((a.Lower, a.Upper, saddle));
            Own(a, branch, leaf: saddle == a.Lower ? a.Upper : a.Lower);
            if (up[saddle].Count + down[saddle].Count == 1)
            {
                // A saddle with all its arcs on one side (a maximum two contours end at, on a boundary) is a leaf now.
                int rest = up[saddle].Count == 1 ? up[saddle][0] : down[saddle][0];
                queue.Enqueue(rest, (Persistence(nodes[live[rest].Lower].Value, nodes[live[rest].Upper].Value), rest));
            }
            else if (up[saddle].Count == 1 && down[saddle].Count == 1)
            {
                LiveArc below = live[down[saddle][0]];
                LiveArc above = live[up[saddle][0]];
                int belowId = down[saddle][0], aboveId = up[saddle][0];
                below.Alive = false;
                above.Alive = false;
                up[below.Lower].Remove(belowId);
                down[above.Upper].Remove(aboveId);
                down[saddle].Clear();
                up[saddle].Clear();
                List<int> interior = [.. below.Interior, saddle, .. above.Interior];
                Add(below.Lower, above.Upper, interior);
            }
        }

        var result = new List<ContourTreeBranch>(branches.Count + 1);
        foreach ((int lower, int upper, _) in branches)
        {
            result.Add(new ContourTreeBranch(result.Count, lower, upper, -1, Persistence(nodes[lower].Value, nodes[upper].Value)));
        }

        foreach (LiveArc a in live)
        {
            if (a.Alive)
            {
                int branch = result.Count;
                result.Add(new ContourTreeBranch(branch, a.Lower, a.Upper, -1, Persistence(nodes[a.Lower].Value, nodes[a.Upper].Value)));
                Own(a, branch, a.Lower);
                Own(a, branch, a.Upper);
            }
        }

        for (int i = 0; i < nodes.Length; i++)
        {
            if (up[i].Count == 0 && down[i].Count == 0 && nodes[i].DownDegree == 0 && nodes[i].UpDegree == 0)
            {
                result.Add(new ContourTreeBranch(result.Count, i, i, -1, 0)); // a vertex alone in its part
            }
        }

        for (int b = 0; b < branches.Count; b++)
        {
            int parent = owner[branches[b].Saddle];
            if (parent < 0)
            {
                throw new InvalidOperationException($"Internal error: the saddle of branch {b} lies on no branch.");
            }

            result[b] = result[b] with { Parent = parent };
        }

        return [.. result];
    }

    /// <summary>upper − lower, 0 when both are the same infinity (never NaN).</summary>
    public static double Persistence(double lower, double upper) => lower == upper ? 0 : upper - lower;
}
