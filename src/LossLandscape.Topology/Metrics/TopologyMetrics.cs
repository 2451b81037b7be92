using System.Collections.Immutable;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Metrics;

/// <summary>
/// Numbers that summarise the shape of a landscape (stage 5 of the pipeline): counts of minima and saddles
/// from the merge tree, and persistence statistics from the diagram.
/// </summary>
/// <remarks>
/// Persistence of a pair is death − birth. The paper's "distance of each pair to the diagonal" is, in the
/// Euclidean sense, persistence / √2: <see cref="AverageDistanceToDiagonal"/> gives that number. A pair whose
/// death is +∞ (components that meet only across +∞ values) has infinite persistence, which makes the average,
/// total and maximum +∞: that is reported, not hidden. The entropy is then ln(m) for m infinite pairs (its limit).
/// No metric is ever NaN: birth = death counts as persistence 0, also at ±∞ (an all-+∞ or all-−∞ grid has
/// persistence 0), and components born at +∞ are not counted (see <see cref="PersistenceDiagram"/>).
/// </remarks>
public sealed record TopologyMetrics
{
    /// <summary>Number of vertices of the landscape.</summary>
    public required int VertexCount { get; init; }

    /// <summary>Number of local minima (merge-tree leaves).</summary>
    public required int MinimumCount { get; init; }

    /// <summary>Number of distinct saddle vertices (<see cref="SaddleCounting.DistinctVertices"/>).</summary>
    public required int SaddleCount { get; init; }

    /// <summary>Number of finite persistence pairs, i.e. saddles counted with multiplicity k − 1 (<see cref="SaddleCounting.DyingPairs"/>).</summary>
    public required int SaddlePairCount { get; init; }

    /// <summary>Number of essential classes (connected parts of the graph).</summary>
    public required int EssentialClassCount { get; init; }

    /// <summary>Mean persistence over the counted pairs (0 when no pair is counted).</summary>
    public required double AveragePersistence { get; init; }

    /// <summary>Sum of the counted persistences.</summary>
    public required double TotalPersistence { get; init; }

    /// <summary>Largest counted persistence (0 when no pair is counted).</summary>
    public required double MaximumPersistence { get; init; }

    /// <summary>
    /// Persistence entropy −Σ (pᵢ/P) ln(pᵢ/P), P = Σ pᵢ, over the counted pairs of positive persistence (natural log;
    /// 0 when P is 0, ln(m) when m of the persistences are +∞).
    /// </summary>
    public required double PersistenceEntropy { get; init; }

    /// <summary>How the essential class entered the persistence statistics.</summary>
    public required EssentialClassHandling EssentialClass { get; init; }

    /// <summary>
    /// Mean persistence over the finite pairs alone, whatever <see cref="EssentialClass"/> says (0 when there is no
    /// finite pair). With <see cref="EssentialClassHandling.PairWithMaximum"/>, <see cref="AveragePersistence"/> is
    /// dominated by the essential pair (global maximum − global minimum) divided by the number of minima; this one
    /// is not.
    /// </summary>
    public double AverageFinitePersistence { get; init; }

    /// <summary>
    /// Minima (finite pairs' births and essential classes) on the boundary of a grid landscape: a vertex with a
    /// first or last index on an axis of more than one sample. Such a minimum may be an artefact of the window (the
    /// landscape goes on falling outside it). 0 for scattered landscapes and for diagrams without a landscape.
    /// </summary>
    public int BoundaryMinimumCount { get; init; }

    /// <summary>How minima on the grid boundary entered the counts and the persistence statistics.</summary>
    public BoundaryMinimumHandling BoundaryMinima { get; init; }

    /// <summary>Mean Euclidean distance of the counted pairs to the diagonal: <see cref="AveragePersistence"/> / √2.</summary>
    public double AverageDistanceToDiagonal => AveragePersistence / Math.Sqrt(2);

    /// <summary>Saddles counted by the chosen convention.</summary>
    public int CountSaddles(SaddleCounting counting) => counting switch
    {
        SaddleCounting.DistinctVertices => SaddleCount,
        SaddleCounting.DyingPairs => SaddlePairCount,
        _ => throw new ArgumentOutOfRangeException(nameof(counting), counting, "Unknown saddle counting."),
    };

    /// <summary>The metrics of a merge tree and its persistence diagram.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="tree"/> is null.</exception>
    public static TopologyMetrics Of(MergeTree tree, TopologyMetricsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return Of(tree.ToPersistenceDiagram(), tree.Landscape, options) with { VertexCount = tree.VertexCount };
    }

    /// <summary>
    /// The metrics of a persistence diagram alone: minima are its pairs plus essential classes, distinct saddles
    /// its distinct death vertices. <see cref="VertexCount"/> is 0 (a diagram does not know it).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="diagram"/> is null.</exception>
    public static TopologyMetrics Of(PersistenceDiagram diagram, TopologyMetricsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        return Of(diagram, null, options);
    }

    /// <summary>
    /// The metrics of a diagram of <paramref name="landscape"/>: as <see cref="Of(PersistenceDiagram, TopologyMetricsOptions?)"/>,
    /// and with the landscape's grid, minima on its boundary are counted (and left out when the options say so).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="diagram"/> is null.</exception>
    public static TopologyMetrics Of(PersistenceDiagram diagram, Landscape? landscape, TopologyMetricsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        options ??= TopologyMetricsOptions.Default;
        int boundary = 0;
        if (landscape is { IsGrid: true })
        {
            var index = new int[landscape.Dimension];
            bool OnBoundary(int vertex)
            {
                landscape.GetGridIndex(vertex, index);
                for (int d = 0; d < index.Length; d++)
                {
                    int count = landscape.Shape[d];
                    if (count > 1 && (index[d] == 0 || index[d] == count - 1))
                    {
                        return true;
                    }
                }

                return false;
            }

            boundary = diagram.Pairs.Count(p => OnBoundary(p.BirthVertex)) + diagram.Essential.Count(e => OnBoundary(e.BirthVertex));
            if (options.BoundaryMinima == BoundaryMinimumHandling.Exclude)
            {
                // Essential classes stay: a connected landscape always has its global minimum.
                diagram = new PersistenceDiagram(diagram.Pairs.Where(p => !OnBoundary(p.BirthVertex)), diagram.Essential, diagram.Dimension);
            }
        }

        double[] finite = [.. diagram.Persistences(EssentialClassHandling.Exclude)];
        double[] persistences = [.. diagram.Persistences(options.EssentialClass)];
        double total = 0;
        double maximum = 0;
        foreach (double p in persistences)
        {
            total += p;
            maximum = Math.Max(maximum, p);
        }

        return new TopologyMetrics
        {
            VertexCount = 0,
            MinimumCount = diagram.Pairs.Length + diagram.Essential.Length,
            SaddleCount = DistinctDeathVertices(diagram.Pairs),
            SaddlePairCount = diagram.Pairs.Length,
            EssentialClassCount = diagram.Essential.Length,
            AveragePersistence = persistences.Length == 0 ? 0 : total / persistences.Length,
            TotalPersistence = total,
            MaximumPersistence = maximum,
            PersistenceEntropy = Entropy(persistences, total),
            EssentialClass = options.EssentialClass,
            AverageFinitePersistence = finite.Length == 0 ? 0 : finite.Sum() / finite.Length,
            BoundaryMinimumCount = boundary,
            BoundaryMinima = options.BoundaryMinima,
        };
    }

    /// <summary>Distinct saddle vertices: a k-fold saddle kills k − 1 branches but is one vertex. One bit per vertex number.</summary>
    private static int DistinctDeathVertices(ImmutableArray<PersistencePair> pairs)
    {
        int largest = -1, smallest = 0;
        foreach (PersistencePair pair in pairs)
        {
            largest = Math.Max(largest, pair.DeathVertex);
            smallest = Math.Min(smallest, pair.DeathVertex);
        }

        if (smallest < 0 || largest / 64 > pairs.Length + 1024)
        {
            // Vertex numbers that are not a landscape's (a diagram read from elsewhere): no bitmap their range would size.
            return pairs.Select(p => p.DeathVertex).Distinct().Count();
        }

        var seen = new System.Collections.BitArray(largest + 1);
        int count = 0;
        foreach (PersistencePair pair in pairs)
        {
            if (!seen[pair.DeathVertex])
            {
                seen[pair.DeathVertex] = true;
                count++;
            }
        }

        return count;
    }

    private static double Entropy(double[] persistences, double total)
    {
        if (double.IsPositiveInfinity(total))
        {
            // The limit as the infinite persistences grow without bound together: they share the total equally
            // and the finite ones' shares vanish, so the entropy is ln(m) for m infinite pairs.
            int infinite = persistences.Count(double.IsPositiveInfinity);
            return Math.Log(infinite);
        }

        if (total <= 0)
        {
            return 0;
        }

        double entropy = 0;
        foreach (double p in persistences)
        {
            if (p > 0)
            {
                double share = p / total;
                entropy -= share * Math.Log(share);
            }
        }

        return entropy;
    }
}
