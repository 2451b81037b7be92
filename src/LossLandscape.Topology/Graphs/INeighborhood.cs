namespace LossLandscape.Topology.Graphs;

/// <summary>
/// An implicit graph: vertices 0 … <see cref="VertexCount"/> − 1 whose neighbours are computed when asked for, so
/// that no adjacency is stored — a periodic domain (a PINN's x ∈ [0, 2π)), an angle torus, any structure a formula
/// gives. <c>MergeTreeBuilder.Build</c> sweeps it directly; implement it as a struct and the sweep is specialised
/// for it (no interface call per vertex).
/// </summary>
/// <remarks>
/// The relation must be symmetric (u lists v exactly when v lists u) and list no vertex as its own neighbour or
/// twice. The merge tree builder checks every neighbour index it is given; <see cref="NeighborGraph.FromNeighborhood"/>
/// materialises the graph and checks symmetry as well.
/// </remarks>
public interface INeighborhood
{
    /// <summary>Number of vertices.</summary>
    int VertexCount { get; }

    /// <summary>The most neighbours any vertex has (the size of the destination <see cref="GetNeighbors"/> gets).</summary>
    int MaxDegree { get; }

    /// <summary>Writes the neighbours of <paramref name="vertex"/> into <paramref name="destination"/> and returns how many there are.</summary>
    int GetNeighbors(int vertex, Span<int> destination);
}
