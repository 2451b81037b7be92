using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Persistence;

/// <summary>
/// A persistence diagram of a landscape's sublevel-set filtration in one <see cref="Dimension"/>: in dimension 0 (a
/// merge tree's), one finite pair per non-essential branch plus one essential class per connected part of the graph;
/// in a grid's top dimension (<see cref="GridPersistence"/>), one pair per hole. Immutable.
/// </summary>
/// <remarks>
/// Pairs are listed in birth order of their components (ascending (value, vertex) of the minimum). Pairs of
/// zero persistence, which ties create, are kept; GUDHI leaves them out. Components born at +∞ are not pairs (they
/// are regions of +∞ values, minima only by the tie rule): a diagram from a merge tree never holds a pair born at
/// +∞, and no persistence is NaN (birth = death counts as 0, also at ±∞). A multi-saddle where k components meet
/// is the death vertex of k − 1 pairs.
/// </remarks>
public sealed class PersistenceDiagram
{
    private readonly PersistencePair[] _pairs;
    private readonly EssentialClass[] _essential;

    /// <summary>Creates a 0-dimensional diagram from pairs and essential classes (e.g. read from a file).</summary>
    /// <exception cref="ArgumentException">A pair or class has a NaN value, or a pair dies before it is born.</exception>
    public PersistenceDiagram(IEnumerable<PersistencePair> pairs, IEnumerable<EssentialClass> essential)
        : this(pairs, essential, 0)
    {
    }

    /// <summary>Creates a diagram of <paramref name="dimension"/> from pairs and essential classes.</summary>
    /// <exception cref="ArgumentException">A pair or class has a NaN value, or a pair dies before it is born.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is negative.</exception>
    public PersistenceDiagram(IEnumerable<PersistencePair> pairs, IEnumerable<EssentialClass> essential, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        Dimension = dimension;
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(essential);
        _pairs = pairs.ToArray();
        _essential = essential.ToArray();
        for (int i = 0; i < _pairs.Length; i++)
        {
            PersistencePair p = _pairs[i];
            if (double.IsNaN(p.Birth) || double.IsNaN(p.Death) || p.Death < p.Birth)
            {
                throw new ArgumentException($"Pair {i} (birth {p.Birth}, death {p.Death}) is not a valid persistence pair.", nameof(pairs));
            }
        }

        for (int i = 0; i < _essential.Length; i++)
        {
            EssentialClass e = _essential[i];
            if (double.IsNaN(e.Birth) || double.IsNaN(e.Maximum) || e.Maximum < e.Birth)
            {
                throw new ArgumentException($"Essential class {i} (birth {e.Birth}, maximum {e.Maximum}) is not valid.", nameof(essential));
            }
        }
    }

    private PersistenceDiagram(PersistencePair[] pairs, EssentialClass[] essential, int dimension)
    {
        _pairs = pairs;
        _essential = essential;
        Dimension = dimension;
    }

    /// <summary>The homology dimension: 0 for components (basins), 1 for holes, 2 for voids.</summary>
    public int Dimension { get; }

    /// <summary>The finite pairs.</summary>
    public ImmutableArray<PersistencePair> Pairs => ImmutableCollectionsMarshal.AsImmutableArray(_pairs);

    /// <summary>The essential classes, one per connected part of the graph (one for a grid).</summary>
    public ImmutableArray<EssentialClass> Essential => ImmutableCollectionsMarshal.AsImmutableArray(_essential);

    /// <summary>The diagram of a merge tree's branch decomposition.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="tree"/> is null.</exception>
    public static PersistenceDiagram FromMergeTree(MergeTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ReadOnlySpan<MergeTreeNode> nodes = tree.NodeSpan;
        ReadOnlySpan<int> minima = tree.BranchMinima;
        ReadOnlySpan<int> tops = tree.BranchTops;
        ReadOnlySpan<int> parents = tree.BranchParents;
        // Exactly one pair per branch that dies, less those born at +∞ (below): filled in place, trimmed only if any were.
        var pairs = new PersistencePair[minima.Length - tree.Roots.Length];
        int p = 0;
        var essential = new EssentialClass[tree.Roots.Length];
        int e = 0;
        for (int b = 0; b < minima.Length; b++)
        {
            MergeTreeNode birth = nodes[minima[b]];
            MergeTreeNode top = nodes[tops[b]];
            if (parents[b] < 0)
            {
                essential[e++] = new EssentialClass(birth.Vertex, birth.Value, top.Vertex, top.Value);
            }
            else if (!double.IsPositiveInfinity(birth.Value))
            {
                // A component born at +∞ (a plateau of +∞ values, e.g. NaN read as +∞, whose lowest vertex by
                // index is a minimum only by the tie rule) dies at +∞ too: it is no basin, and is left out.
                pairs[p++] = new PersistencePair(birth.Vertex, birth.Value, top.Vertex, top.Value);
            }
        }

        return new PersistenceDiagram(p == pairs.Length ? pairs : pairs[..p], essential, 0);
    }

    /// <summary>
    /// The persistence of every finite pair, and of each essential class when
    /// <paramref name="essential"/> is <see cref="EssentialClassHandling.PairWithMaximum"/>.
    /// </summary>
    public ImmutableArray<double> Persistences(EssentialClassHandling essential)
    {
        int extra = essential == EssentialClassHandling.PairWithMaximum ? _essential.Length : 0;
        var result = new double[_pairs.Length + extra];
        for (int i = 0; i < _pairs.Length; i++)
        {
            result[i] = _pairs[i].Persistence;
        }

        for (int i = 0; i < extra; i++)
        {
            result[_pairs.Length + i] = _essential[i].PersistenceToMaximum;
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(result);
    }

    /// <summary>The diagram without the finite pairs whose persistence is below <paramref name="threshold"/>.</summary>
    /// <param name="threshold">The cut; a relative one scales with the range of the diagram's finite values.</param>
    public PersistenceDiagram Filter(PersistenceThreshold threshold)
    {
        double low = double.PositiveInfinity;
        double high = double.NegativeInfinity;
        foreach (EssentialClass e in _essential)
        {
            Extend(e.Birth);
            Extend(e.Maximum);
        }

        foreach (PersistencePair p in _pairs)
        {
            Extend(p.Birth);
            Extend(p.Death);
        }

        double cut = threshold.Resolve(low, high);
        return new PersistenceDiagram(_pairs.Where(p => p.Persistence >= cut).ToArray(), _essential, Dimension);

        void Extend(double v)
        {
            if (double.IsFinite(v))
            {
                low = Math.Min(low, v);
                high = Math.Max(high, v);
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Persistence diagram: {_pairs.Length} finite pair(s), {_essential.Length} essential class(es)";
}
