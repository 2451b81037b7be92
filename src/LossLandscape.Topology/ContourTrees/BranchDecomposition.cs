using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.ContourTrees;

/// <summary>
/// The persistence-ordered branch decomposition of a contour tree (Pascucci, Cole-McLaughlin and Scorzelli 2004):
/// repeatedly cut the leaf arc of least persistence whose saddle keeps another arc on the leaf's side; a saddle left
/// with one arc above and one below joins them into one longer arc, and one left with arcs on one side only becomes a
/// leaf. What is left of each connected part is its main branch. Ties in persistence are cut in arc order, so the
/// result depends only on the tree.
/// </summary>
/// <remarks>
/// Each node keeps its arcs in fixed slots (its degree never grows: a joined arc takes the slots of the two it
/// replaces), and the nodes that became regular inside an arc form a linked list, so joining arcs costs O(1) and the
/// whole decomposition O(n log n) for the queue.
/// </remarks>
internal static class BranchDecomposition
{
    public static ContourTreeBranch[] Decompose(ContourTreeNode[] nodes, ContourTreeArc[] arcs)
    {
        int nodeCount = nodes.Length;
        int capacity = arcs.Length + nodeCount + 1;
        var lower = new int[capacity];
        var upper = new int[capacity];
        var alive = new bool[capacity];
        var head = new int[capacity];       // first node that became regular inside the arc, −1 for none
        var tail = new int[capacity];
        var next = new int[nodeCount];      // the interior lists' links
        int arcCount = 0;

        // Slots: per node, its up arcs then its down arcs; −1 marks a slot whose arc was cut.
        var upStart = new int[nodeCount + 1];
        var downStart = new int[nodeCount + 1];
        foreach (ContourTreeArc arc in arcs)
        {
            upStart[arc.Lower + 1]++;
            downStart[arc.Upper + 1]++;
        }

        for (int i = 0; i < nodeCount; i++)
        {
            upStart[i + 1] += upStart[i];
            downStart[i + 1] += downStart[i];
        }

        var upSlots = new int[arcs.Length];
        var downSlots = new int[arcs.Length];
        var upFill = (int[])upStart.Clone();
        var downFill = (int[])downStart.Clone();
        var upCount = new int[nodeCount];
        var downCount = new int[nodeCount];
        foreach (ContourTreeArc arc in arcs)
        {
            int id = arcCount++;
            (lower[id], upper[id], alive[id], head[id], tail[id]) = (arc.Lower, arc.Upper, true, -1, -1);
            upSlots[upFill[arc.Lower]++] = id;
            downSlots[downFill[arc.Upper]++] = id;
            upCount[arc.Lower]++;
            downCount[arc.Upper]++;
        }

        var queue = new PriorityQueue<int, (double, int)>();
        bool IsLeafArc(int id) => (upCount[upper[id]] == 0 && downCount[upper[id]] == 1) || (downCount[lower[id]] == 0 && upCount[lower[id]] == 1);
        void Offer(int id) => queue.Enqueue(id, (PersistencePair.Difference(nodes[lower[id]].Value, nodes[upper[id]].Value), id));
        for (int id = 0; id < arcCount; id++)
        {
            if (IsLeafArc(id))
            {
                Offer(id);
            }
        }

        var cut = new List<(int Lower, int Upper, int Saddle)>();
        var owner = new int[nodeCount];
        Array.Fill(owner, -1);

        // A branch owns the nodes inside it and its leaf end (a saddle that became a leaf belongs to the branch that
        // ends there); the saddles branches hang from then name their parents.
        void Own(int id, int branch, int leaf)
        {
            for (int node = head[id]; node >= 0; node = node == tail[id] ? -1 : next[node])
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
            if (!alive[id])
            {
                continue;
            }

            // The saddle end must keep an arc on the leaf's side, or the cut would split the part in two.
            int a = lower[id], b = upper[id];
            int saddle;
            if (upCount[b] == 0 && downCount[b] == 1 && upCount[a] >= 2)
            {
                saddle = a;
                Remove(upSlots, upStart, a, id);
                upCount[a]--;
            }
            else if (downCount[a] == 0 && upCount[a] == 1 && downCount[b] >= 2)
            {
                saddle = b;
                Remove(downSlots, downStart, b, id);
                downCount[b]--;
            }
            else
            {
                continue; // not cuttable now; it comes back as part of a longer arc, or stays as a main branch
            }

            alive[id] = false;
            int branch = cut.Count;
            cut.Add((a, b, saddle));
            Own(id, branch, saddle == a ? b : a);
            if (upCount[saddle] + downCount[saddle] == 1)
            {
                // A saddle with all its arcs on one side (a maximum two contours end at, on a boundary) is a leaf now.
                Offer(upCount[saddle] == 1 ? Only(upSlots, upStart, saddle) : Only(downSlots, downStart, saddle));
            }
            else if (upCount[saddle] == 1 && downCount[saddle] == 1)
            {
                int below = Only(downSlots, downStart, saddle), above = Only(upSlots, upStart, saddle);
                alive[below] = false;
                alive[above] = false;
                Remove(downSlots, downStart, saddle, below);
                Remove(upSlots, upStart, saddle, above);
                upCount[saddle] = downCount[saddle] = 0;

                // The joined arc takes the two arcs' slots at its far ends, and their interiors with the saddle between.
                int joined = arcCount++;
                (lower[joined], upper[joined], alive[joined]) = (lower[below], upper[above], true);
                Replace(upSlots, upStart, lower[below], below, joined);
                Replace(downSlots, downStart, upper[above], above, joined);
                int first = head[below] >= 0 ? head[below] : saddle;
                if (tail[below] >= 0)
                {
                    next[tail[below]] = saddle;
                }

                int last = saddle;
                if (head[above] >= 0)
                {
                    next[saddle] = head[above];
                    last = tail[above];
                }

                (head[joined], tail[joined]) = (first, last);
                if (IsLeafArc(joined))
                {
                    Offer(joined);
                }
            }
        }

        var result = new List<ContourTreeBranch>(cut.Count + 1);
        foreach ((int l, int u, _) in cut)
        {
            result.Add(new ContourTreeBranch(result.Count, l, u, -1, PersistencePair.Difference(nodes[l].Value, nodes[u].Value)));
        }

        for (int id = 0; id < arcCount; id++)
        {
            if (alive[id])
            {
                int branch = result.Count;
                result.Add(new ContourTreeBranch(branch, lower[id], upper[id], -1, PersistencePair.Difference(nodes[lower[id]].Value, nodes[upper[id]].Value)));
                Own(id, branch, lower[id]);
                Own(id, branch, upper[id]);
            }
        }

        for (int i = 0; i < nodeCount; i++)
        {
            if (nodes[i].DownDegree == 0 && nodes[i].UpDegree == 0)
            {
                result.Add(new ContourTreeBranch(result.Count, i, i, -1, 0)); // a vertex alone in its part
            }
        }

        for (int c = 0; c < cut.Count; c++)
        {
            int parent = owner[cut[c].Saddle];
            if (parent < 0)
            {
                throw new InvalidOperationException($"Internal error: the saddle of branch {c} lies on no branch.");
            }

            result[c] = result[c] with { Parent = parent };
        }

        return [.. result];
    }

    private static void Remove(int[] slots, int[] start, int node, int arc) => Replace(slots, start, node, arc, -1);

    private static void Replace(int[] slots, int[] start, int node, int arc, int with)
    {
        for (int s = start[node]; s < start[node + 1]; s++)
        {
            if (slots[s] == arc)
            {
                slots[s] = with;
                return;
            }
        }

        throw new InvalidOperationException($"Internal error: arc {arc} is not at node {node}.");
    }

    private static int Only(int[] slots, int[] start, int node)
    {
        for (int s = start[node]; s < start[node + 1]; s++)
        {
            if (slots[s] >= 0)
            {
                return slots[s];
            }
        }

        throw new InvalidOperationException($"Internal error: node {node} has no arc left.");
    }
}
