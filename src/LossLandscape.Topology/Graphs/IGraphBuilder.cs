using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Graphs;

/// <summary>
/// Turns the samples of a landscape into a neighbourhood graph (stage 3 of the pipeline: representation).
/// </summary>
public interface IGraphBuilder
{
    /// <summary>Builds the graph on the vertices of <paramref name="landscape"/> (vertex i is value i).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="landscape"/> is null.</exception>
    /// <exception cref="ArgumentException">The builder cannot represent this kind of landscape.</exception>
    NeighborGraph Build(Landscape landscape);
}
