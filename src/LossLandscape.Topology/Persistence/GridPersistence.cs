using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Persistence;

/// <summary>
/// Persistence diagrams of a grid landscape's sublevel-set filtration in dimension 0 (components: basins) and in the
/// grid's top dimension (holes of a 2-D grid, voids of a 3-D grid), for the cubical complex each connectivity gives:
/// <see cref="GridConnectivity.Full"/> is GUDHI's <c>CubicalComplex(top_dimensional_cells=…)</c> (pixels as top
/// cells, 8-neighbour components in 2-D), <see cref="GridConnectivity.Axis"/> the vertex construction (pixels as
/// vertices, 4-neighbour components, a square filled once its four corners are).
/// </summary>
/// <remarks>
/// <para>
/// The top dimension is computed by duality, at merge-tree speed: a hole of the sublevel set {f ≤ t} is a bounded
/// component of its complement {f &gt; t}, whose components are joined by the dual connectivity (4 neighbours for the
/// 8-neighbour complex and the other way round, 6 and 26 in 3-D) and the outside counts as one more component. So the
/// top-dimensional pairs of f are the 0-dimensional pairs of −f on the dual connectivity, on the grid framed by one
/// ring of cells at −∞ that stands for the outside, with birth and death exchanged and negated: a hole is born at the
/// value where its region of the complement is cut off (the dual pair's saddle) and dies when its highest cell fills
/// (the dual pair's maximum). Only the pairs are needed, so the dual is one union-find sweep in descending order, no
/// tree: on a random 2048² grid it takes about as long as dimension 0.
/// </para>
/// <para>
/// Pairs are those of a diagram from a merge tree: zero-persistence pairs that ties create are kept (GUDHI leaves them
/// out); no pair is born at +∞ (a region of +∞ values is no hole); a hole around +∞ values never fills and dies at +∞.
/// The top-dimensional diagram has no essential class.
/// </para>
/// <para>
/// Dimensions strictly between 0 and the top one (1 of a 3-D grid) have no such shortcut: they come from persistent
/// cohomology of the explicit cubical complex (about 2^d cells per sample), as CubicalRipser computes them, and only
/// their pairs of positive persistence are listed (the construction pairs faces of equal value by the thousand).
/// </para>
/// </remarks>
public static class GridPersistence
{
    /// <summary>The persistence diagram of <paramref name="landscape"/> in <paramref name="dimension"/>.</summary>
    /// <param name="landscape">A grid landscape.</param>
    /// <param name="dimension">From 0 to the grid's top dimension (1 for a 2-D grid, 2 for a 3-D one).</param>
    /// <param name="connectivity"><see cref="GridConnectivity.Full"/> (the top-cell construction) or <see cref="GridConnectivity.Axis"/> (the vertex construction); any connectivity in dimension 0.</param>
    /// <param name="options">Merge tree options (NaN handling, threads); the defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="landscape"/> is null.</exception>
    /// <exception cref="ArgumentException">The landscape is scattered, or a value is NaN while NaN is an error (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is negative or not below the grid's dimension.</exception>
    /// <exception cref="NotSupportedException">A connectivity this class does not compute beyond dimension 0 (Freudenthal).</exception>
    public static PersistenceDiagram Diagram(Landscape landscape, int dimension, GridConnectivity connectivity = GridConnectivity.Full, MergeTreeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        if (!landscape.IsGrid)
        {
            throw new ArgumentException("Persistence by dimension needs a grid landscape; a scattered one has only its graph's components (dimension 0, MergeTreeBuilder).", nameof(landscape));
        }

        options ??= MergeTreeOptions.Default;
        int top = landscape.Dimension - 1;
        if (dimension < 0 || dimension > top)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"A {landscape.Dimension}-D grid has persistence in dimensions 0 to {top}.");
        }

        if (dimension == 0)
        {
            return new MergeTreeBuilder(options).Build(new GridGraphBuilder(connectivity), landscape).ToPersistenceDiagram();
        }

        if (connectivity is not (GridConnectivity.Full or GridConnectivity.Axis))
        {
            throw new NotSupportedException($"Persistence beyond dimension 0 is computed for the Full (top-cell) and Axis (vertex) constructions, not {connectivity}.");
        }

        if (dimension != top)
        {
            bool nanAsInfinity = options.NaNHandling == NaNHandling.TreatAsPositiveInfinity;
            return new PersistenceDiagram(CubicalCohomology.Pairs(landscape, dimension, connectivity == GridConnectivity.Axis, nanAsInfinity), [], dimension);
        }

        return new PersistenceDiagram(DualSweep.Pairs(landscape, connectivity == GridConnectivity.Axis, options.NaNHandling == NaNHandling.TreatAsPositiveInfinity), [], top);
    }
}
