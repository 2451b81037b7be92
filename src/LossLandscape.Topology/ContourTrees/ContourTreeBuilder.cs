using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Ordering;

namespace LossLandscape.Topology.ContourTrees;

/// <summary>Sorts, sweeps both ways, merges, and contracts regular vertices into arcs.</summary>
internal static class ContourTreeBuilder
{
    public static ContourTree Build(NeighborGraph graph, ReadOnlySpan<double> values, NaNHandling nanHandling, Landscape? landscape, string valuesName)
    {
        if (!Enum.IsDefined(nanHandling))
        {
            throw new ArgumentOutOfRangeException(nameof(nanHandling), nanHandling, "Not a NaNHandling value.");
        }

        int n = values.Length;
        var keys = new ulong[n];
        int firstNaN = SortableKeys.Fill(values, keys, nanHandling);
        if (firstNaN >= 0)
        {
            string where = landscape?.DescribeVertex(firstNaN) ?? $"index {firstNaN}";
            throw new ArgumentException($"The value at {where} is NaN. Fix the landscape, or pass NaNHandling.TreatAsPositiveInfinity to read NaN as +∞.", valuesName);
        }

        var order = new int[n];
        RadixArgsort.Sort(keys, new ulong[n], order, new int[n]);
        var rank = new int[n];
        for (int i = 0; i < n; i++)
        {
            rank[order[i]] = i;
        }

        var value = new double[n];
        for (int v = 0; v < n; v++)
        {
            value[v] = NaNAsInfinity.Read(values[v]);
        }

        (LevelSweeps.Tree join, LevelSweeps.Tree split) = LevelSweeps.Both(graph, order, rank);
        (int Lower, int Upper)[] augmented = ContourTreeMerge.Merge(join, split);
        (ContourTreeNode[] nodes, ContourTreeArc[] arcs) = Contract(augmented, order, value);
        ContourTreeBranch[] branches = BranchDecomposition.Decompose(nodes, arcs);
        return new ContourTree(n, nodes, arcs, branches, ContractSplit(split, order, value), augmented, landscape);
    }

    private static (ContourTreeNode[] Nodes, ContourTreeArc[] Arcs) Contract((int Lower, int Upper)[] augmented, int[] order, double[] value)
    {
        int n = order.Length;
        var downDegree = new int[n];
        var upDegree = new int[n];
        foreach ((int lower, int upper) in augmented)
        {
            upDegree[lower]++;
            downDegree[upper]++;
        }

        // Up-neighbours as CSR, so that a walk up a chain of regular vertices is one lookup per vertex.
        var start = new int[n + 1];
        for (int v = 0; v < n; v++)
        {
            start[v + 1] = start[v] + upDegree[v];
        }

        var next = new int[augmented.Length];
        var fill = (int[])start.Clone();
        foreach ((int lower, int upper) in augmented)
        {
            next[fill[lower]++] = upper;
        }

        bool Regular(int v) => downDegree[v] == 1 && upDegree[v] == 1;
        var nodeOf = new int[n];
        var nodes = new List<ContourTreeNode>();
        foreach (int v in order)
        {
            nodeOf[v] = -1;
            if (!Regular(v))
            {
                nodeOf[v] = nodes.Count;
                nodes.Add(new ContourTreeNode(v, value[v], downDegree[v], upDegree[v]));
            }
        }

        var arcs = new List<ContourTreeArc>();
        foreach (ContourTreeNode node in nodes)
        {
            for (int k = start[node.Vertex]; k < start[node.Vertex + 1]; k++)
            {
                int w = next[k];
                int regular = 0;
                while (Regular(w))
                {
                    regular++;
                    w = next[start[w]];
                }

                arcs.Add(new ContourTreeArc(nodeOf[node.Vertex], nodeOf[w], regular));
            }
        }

        arcs.Sort((a, b) => a.Lower != b.Lower ? a.Lower.CompareTo(b.Lower) : a.Upper.CompareTo(b.Upper));
        return ([.. nodes], [.. arcs]);
    }

    private static SplitTree ContractSplit(LevelSweeps.Tree split, int[] order, double[] value)
    {
        int n = order.Length;
        bool Regular(int v) => split.ChildCount[v] == 1 && split.Parent[v] >= 0;
        var nodeOf = new int[n];
        var nodes = new List<ContourTreeNode>();
        for (int i = n - 1; i >= 0; i--)
        {
            int v = order[i];
            nodeOf[v] = -1;
            if (!Regular(v))
            {
                nodeOf[v] = nodes.Count;
                nodes.Add(new ContourTreeNode(v, value[v], split.Parent[v] >= 0 ? 1 : 0, split.ChildCount[v]));
            }
        }

        var arcs = new List<ContourTreeArc>();
        foreach (ContourTreeNode node in nodes)
        {
            int w = split.Parent[node.Vertex];
            if (w < 0)
            {
                continue;
            }

            int regular = 0;
            while (Regular(w))
            {
                regular++;
                w = split.Parent[w];
            }

            arcs.Add(new ContourTreeArc(nodeOf[w], nodeOf[node.Vertex], regular));
        }

        return new SplitTree(n, [.. nodes], [.. arcs]);
    }
}
