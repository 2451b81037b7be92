namespace LossLandscape.Topology.Graphs;

/// <summary>How the directed k-nearest-neighbour relation becomes an undirected graph.</summary>
public enum KnnSymmetrization
{
    /// <summary>i and j are joined when either is among the other's k nearest (degree ≥ k).</summary>
    Union,

    /// <summary>i and j are joined only when each is among the other's k nearest (degree ≤ k).</summary>
    Mutual,
}
