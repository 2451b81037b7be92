using LossLandscape.Topology.Spectra;
using System.Collections.Immutable;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Persistence;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Hessian;

namespace LossLandscape.Topology.Torch.Analysis;

/// <summary>What <see cref="LandscapeAnalysis.Analyze"/> found for one model: Hessian numbers and one topology per subspace.</summary>
public sealed class LandscapeAnalysisResult
{
    internal LandscapeAnalysisResult(HessianSummary hessian, ImmutableArray<SubspaceAnalysis> subspaces, LandscapeAnalysisOptions options, int seed)
    {
        Hessian = hessian;
        Subspaces = subspaces;
        Options = options;
        Seed = seed;
    }

    /// <summary>Hessian numbers at the model's parameters.</summary>
    public HessianSummary Hessian { get; }

    /// <summary>One entry per sampled subspace, in the order of <see cref="LandscapeAnalysisOptions.Directions"/> (random ones by seed).</summary>
    public ImmutableArray<SubspaceAnalysis> Subspaces { get; }

    /// <summary>The options the analysis ran with.</summary>
    public LandscapeAnalysisOptions Options { get; }

    /// <summary>The analysis seed.</summary>
    public int Seed { get; }

    /// <summary>The subspaces of one kind.</summary>
    public IEnumerable<SubspaceAnalysis> Of(DirectionKind kind) => Subspaces.Where(s => s.Kind == kind);

    /// <summary>A metric over the subspaces of one kind: its median and its range over seeds.</summary>
    /// <exception cref="InvalidOperationException">No subspace of that kind was sampled.</exception>
    public MetricSpread Spread(DirectionKind kind, Func<TopologyMetrics, double> metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        double[] values = Of(kind).Select(s => metric(s.Metrics)).ToArray();
        return values.Length == 0
            ? throw new InvalidOperationException($"No {kind} subspace was sampled.")
            : MetricSpread.Of(values);
    }
}

/// <summary>The landscape of one subspace and its topology.</summary>
public sealed class SubspaceAnalysis
{
    internal SubspaceAnalysis(DirectionKind kind, int? seed, DirectionSet directions, Landscape landscape, IReadOnlyDictionary<string, Landscape> extra, NeighborGraph graph, string graphKind, MergeTree tree, TopologyMetrics metrics)
    {
        Kind = kind;
        Seed = seed;
        Directions = directions;
        Landscape = landscape;
        ExtraMetrics = extra;
        Graph = graph;
        GraphKind = graphKind;
        Tree = tree;
        Metrics = metrics;
    }

    /// <summary>Random or Hessian.</summary>
    public DirectionKind Kind { get; }

    /// <summary>The direction seed (random directions), or null (Hessian directions).</summary>
    public int? Seed { get; }

    /// <summary>The directions sampled along.</summary>
    public DirectionSet Directions { get; }

    /// <summary>The loss landscape.</summary>
    public Landscape Landscape { get; }

    /// <summary>The loss function's extra per-point metrics (e.g. accuracy), by name, on the same points.</summary>
    public IReadOnlyDictionary<string, Landscape> ExtraMetrics { get; }

    /// <summary>The graph the merge tree was built on.</summary>
    public NeighborGraph Graph { get; }

    /// <summary>The graph builder's name (e.g. <c>grid 8-neighbour</c>, <c>NN-descent k = 8</c>).</summary>
    public string GraphKind { get; }

    /// <summary>The merge tree.</summary>
    public MergeTree Tree { get; }

    /// <summary>The persistence diagram.</summary>
    public PersistenceDiagram Diagram => Tree.ToPersistenceDiagram();

    /// <summary>The topology metrics (with the analysis' <see cref="LandscapeAnalysisOptions.Metrics"/>).</summary>
    public TopologyMetrics Metrics { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind}{(Seed is { } s ? $" seed {s}" : string.Empty)}: {Metrics.MinimumCount} minima, {Metrics.SaddleCount} saddles";
}

/// <summary>Hessian numbers at the model's parameters; each is absent (empty or null) when not asked for.</summary>
/// <param name="TopEigenvalues">The largest eigenvalues, descending.</param>
/// <param name="Eigenpairs">The Lanczos result behind them (eigenvectors, error estimates), or null.</param>
/// <param name="Trace">The Hutch++ trace with its standard error, or null.</param>
/// <param name="Density">The stochastic Lanczos quadrature density, or null.</param>
/// <param name="Products">Hessian-vector products spent.</param>
public sealed record HessianSummary(ImmutableArray<double> TopEigenvalues, Eigenpairs? Eigenpairs, TraceEstimate? Trace, SpectralDensity? Density, long Products);

/// <summary>A metric over several subspaces (direction seeds): median, range and count.</summary>
/// <param name="Median">The median.</param>
/// <param name="Minimum">The smallest value.</param>
/// <param name="Maximum">The largest value.</param>
/// <param name="Count">How many values.</param>
public sealed record MetricSpread(double Median, double Minimum, double Maximum, int Count)
{
    /// <summary>The spread of <paramref name="values"/> (at least one).</summary>
    public static MetricSpread Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        return new MetricSpread(MathNet.Numerics.Statistics.Statistics.Median(values), values.Min(), values.Max(), values.Count);
    }

    /// <inheritdoc />
    public override string ToString() => Count == 1 ? $"{Median:G4}" : $"{Median:G4} [{Minimum:G4}, {Maximum:G4}] over {Count}";
}
