using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Graphs;

/// <summary>
/// Builds the graph of a grid landscape: pixels (or voxels) joined to their neighbours by a
/// <see cref="GridConnectivity"/> stencil. The graph is implicit and costs no memory per vertex.
/// </summary>
public sealed class GridGraphBuilder : IGraphBuilder
{
    /// <summary>Creates a builder.</summary>
    /// <param name="connectivity">Which neighbours to join; <see cref="GridConnectivity.Full"/> (8 in 2-D) is the paper's.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connectivity"/> is not defined.</exception>
    public GridGraphBuilder(GridConnectivity connectivity = GridConnectivity.Full)
    {
        if (!Enum.IsDefined(connectivity))
        {
            throw new ArgumentOutOfRangeException(nameof(connectivity), connectivity, "Unknown grid connectivity.");
        }

        Connectivity = connectivity;
    }

    /// <summary><see cref="GridConnectivity.Axis"/>: 4 neighbours in 2-D (2k in k-D).</summary>
    public static GridGraphBuilder Axis { get; } = new(GridConnectivity.Axis);

    /// <summary><see cref="GridConnectivity.Full"/>: 8 neighbours in 2-D (3^k − 1 in k-D, 26 in 3-D): the paper's pixel connectivity.</summary>
    public static GridGraphBuilder Full { get; } = new(GridConnectivity.Full);

    /// <summary>The Freudenthal triangulation's edges (6 neighbours in 2-D, as TTK triangulates images).</summary>
    public static GridGraphBuilder Freudenthal { get; } = new(GridConnectivity.Freudenthal);

    /// <summary>The connectivity used.</summary>
    public GridConnectivity Connectivity { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="landscape"/> is made of scattered points.</exception>
    public NeighborGraph Build(Landscape landscape)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        if (!landscape.IsGrid)
        {
            throw new ArgumentException("GridGraphBuilder needs a grid landscape; use a point-cloud graph builder for scattered points.", nameof(landscape));
        }

        return NeighborGraph.ForGrid(new GridTopology(landscape.Shape, Connectivity));
    }
}
