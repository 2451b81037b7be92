namespace LossLandscape.Topology.Persistence;

/// <summary>
/// Maximum bipartite matching by Hopcroft and Karp (O(E √V)): breadth-first layers from the free left vertices,
/// then vertex-disjoint shortest augmenting paths by an explicit-stack depth-first search (no recursion, so paths
/// as long as the graph stay off the call stack).
/// </summary>
internal static class HopcroftKarp
{
    /// <summary>The size of a maximum matching of the graph whose left vertex u has the right neighbours edges[start[u]..start[u + 1]].</summary>
    public static int MaximumMatching(int left, int right, int[] start, int[] edges)
    {
        var matchLeft = new int[left];
        var matchRight = new int[right];
        Array.Fill(matchLeft, -1);
        Array.Fill(matchRight, -1);
        var layer = new int[left];
        var next = new int[left];
        var via = new int[left];
        var queue = new int[left];
        var stack = new int[left];
        int size = 0;

        // Greedy start: many vertices match at once.
        for (int u = 0; u < left; u++)
        {
            for (int e = start[u]; e < start[u + 1]; e++)
            {
                if (matchRight[edges[e]] < 0)
                {
                    matchLeft[u] = edges[e];
                    matchRight[edges[e]] = u;
                    size++;
                    break;
                }
            }
        }

        while (true)
        {
            // Layers: free left vertices at 0; a matched left vertex one deeper than the vertex that reaches its partner.
            int head = 0;
            int tail = 0;
            for (int u = 0; u < left; u++)
            {
                layer[u] = matchLeft[u] < 0 ? 0 : int.MaxValue;
                if (matchLeft[u] < 0)
                {
                    queue[tail++] = u;
                }
            }

            bool reachesFree = false;
            while (head < tail)
            {
                int u = queue[head++];
                for (int e = start[u]; e < start[u + 1]; e++)
                {
                    int w = matchRight[edges[e]];
                    if (w < 0)
                    {
                        reachesFree = true;
                    }
                    else if (layer[w] == int.MaxValue)
                    {
                        layer[w] = layer[u] + 1;
                        queue[tail++] = w;
                    }
                }
            }

            if (!reachesFree)
            {
                return size;
            }

            for (int u = 0; u < left; u++)
            {
                next[u] = start[u];
            }

            for (int root = 0; root < left; root++)
            {
                if (matchLeft[root] >= 0 || layer[root] != 0)
                {
                    continue;
                }

                int depth = 0;
                stack[depth++] = root;
                while (depth > 0)
                {
                    int u = stack[depth - 1];
                    if (next[u] == start[u + 1])
                    {
                        layer[u] = int.MaxValue; // dead end for this phase
                        depth--;
                        continue;
                    }

                    int v = edges[next[u]++];
                    int w = matchRight[v];
                    if (w < 0)
                    {
                        // Augment along the stack: each vertex takes the right vertex it went through.
                        via[u] = v;
                        for (int k = depth - 1; k >= 0; k--)
                        {
                            int x = stack[k];
                            matchLeft[x] = via[x];
                            matchRight[via[x]] = x;
                        }

                        size++;
                        depth = 0;
                    }
                    else if (layer[w] == layer[u] + 1)
                    {
                        via[u] = v;
                        stack[depth++] = w;
                    }
                }
            }
        }
    }
}
