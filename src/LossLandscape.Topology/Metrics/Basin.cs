namespace LossLandscape.Topology.Metrics;

/// <summary>
/// One basin of a landscape: the vertices whose steepest-descent path ends at one minimum (the minimum's descending
/// manifold, Landscaper's "unstable manifold" of the Morse–Smale complex).
/// </summary>
/// <param name="Node">The minimum's merge-tree node id.</param>
/// <param name="Vertex">The minimum's vertex.</param>
/// <param name="Value">The value at the minimum.</param>
/// <param name="VertexCount">Vertices in the basin, the minimum included.</param>
/// <param name="Fraction">VertexCount over the landscape's vertex count (Landscaper's basin volume).</param>
/// <param name="Depth">
/// Value of the merge-tree node just above the minimum (the saddle where its sublevel component first meets another,
/// or its part's root) minus the minimum's value: the saddle–minimum gap that SMAD averages.
/// </param>
/// <param name="Persistence">Persistence of the minimum's branch (death − birth by the elder rule; part maximum − minimum for an essential one).</param>
/// <param name="MeanValue">Mean value over the basin's vertices.</param>
public readonly record struct Basin(int Node, int Vertex, double Value, int VertexCount, double Fraction, double Depth, double Persistence, double MeanValue);
