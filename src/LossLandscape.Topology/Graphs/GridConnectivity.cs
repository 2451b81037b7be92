namespace LossLandscape.Topology.Graphs;

/// <summary>Which neighbours a grid vertex is joined to.</summary>
public enum GridConnectivity
{
    /// <summary>
    /// Neighbours along the axes only: 4 in 2-D, 2k in k-D (face-adjacent cells).
    /// </summary>
    Axis,

    /// <summary>
    /// Every vertex of the surrounding 3×…×3 block: 8 in 2-D (the paper's pixel connectivity, and GUDHI's
    /// cubical complex on top-dimensional cells), 26 in 3-D, 3^k − 1 in k-D.
    /// </summary>
    Full,

    /// <summary>
    /// The edges of the Freudenthal (Kuhn) triangulation of the grid: 6 in 2-D, 14 in 3-D, 2(2^k − 1) in k-D.
    /// In 2-D the diagonals join [i, j] to [i − 1, j + 1] and [i + 1, j − 1] (last index fastest), the
    /// triangulation TTK puts on images, so diagrams match TTK's. In k-D the offsets are the non-zero
    /// vectors of {0, 1}^k with every axis but the last negated, and their opposites.
    /// </summary>
    Freudenthal,
}
