namespace LossLandscape.Topology.MergeTrees;

/// <summary>
/// What the tiled build's reduced sweep writes down as it goes, so that later phases read it in order instead of
/// chasing nodes to vertices to keys across memory: per vertex the arc that holds it, per node its key, and per
/// node the key and grid vertex of the node above once its arc closes.
/// </summary>
/// <param name="keys">Per swept vertex, its sortable key.</param>
/// <param name="vertices">Per swept vertex, its grid vertex.</param>
internal sealed class SweepRecord(ulong[] keys, int[] vertices)
{
    /// <summary>Per swept vertex, its sortable key.</summary>
    public ulong[] Keys { get; } = keys;

    /// <summary>Per swept vertex, its grid vertex.</summary>
    public int[] Vertices { get; } = vertices;

    /// <summary>Per swept vertex, the node whose upward arc holds it (its own node for a minimum or saddle).</summary>
    public int[] ArcOf { get; } = new int[keys.Length];

    /// <summary>Per node, its key.</summary>
    public ulong[] NodeKey { get; } = new ulong[keys.Length + 1];

    /// <summary>Per node, the upper end of its arc: the key and grid vertex of the node above (vertex −1 while open).</summary>
    public (ulong Key, int Vertex)[] Upper { get; } = CreateUpper(keys.Length + 1);

    private static (ulong, int)[] CreateUpper(int length)
    {
        var upper = new (ulong, int)[length];
        upper.AsSpan().Fill((0, -1));
        return upper;
    }
}
