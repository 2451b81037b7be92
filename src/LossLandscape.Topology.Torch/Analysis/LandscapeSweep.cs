using LossLandscape.Topology.Spectra;
using System.Collections.Immutable;
using LossLandscape.Topology.Studies;

namespace LossLandscape.Topology.Torch.Analysis;

/// <summary>
/// Several analyses (one per β, architecture or seed) as one <see cref="SweepTable"/>: a row per subspace with the
/// analysis' number (<c>analysis</c>), the conditions (e.g. <c>beta</c>), the caller's measurements (e.g. <c>rel_error</c>), the topology metrics and the
/// Hessian numbers under the names of <see cref="MetricColumns"/>, ready for <see cref="Claim.Test"/> and the report.
/// Immutable; <see cref="Add"/> returns a new sweep.
/// </summary>
public sealed class LandscapeSweep
{
    /// <summary>The numeric columns every row gets from its analysis, in order.</summary>
    public static ImmutableArray<string> MetricColumns { get; } =
    [
        "analysis", "direction_seed", "minima", "boundary_minima", "saddles", "saddle_pairs", "avg_persistence", "avg_persistence_finite",
        "max_persistence", "persistence_entropy", "top_eigenvalue", "second_eigenvalue", "trace", "trace_std_error",
        "hessian_products", "landscape_min", "landscape_max",
    ];

    private readonly ImmutableList<LandscapeAnalysisResult> _results;

    /// <summary>An empty sweep.</summary>
    public LandscapeSweep()
        : this(new SweepTable(), ImmutableList<LandscapeAnalysisResult>.Empty)
    {
    }

    private LandscapeSweep(SweepTable table, ImmutableList<LandscapeAnalysisResult> results)
    {
        Table = table;
        _results = results;
    }

    /// <summary>The table: one row per subspace of every analysis added.</summary>
    public SweepTable Table { get; }

    /// <summary>The analyses, in the order they were added.</summary>
    public IReadOnlyList<LandscapeAnalysisResult> Results => _results;

    /// <summary>The sweep with one more analysis.</summary>
    /// <param name="conditions">What this analysis varies (e.g. <c>beta</c> = 5); the same names for every analysis.</param>
    /// <param name="result">The analysis.</param>
    /// <param name="measurements">Numbers measured outside the analysis (e.g. <c>rel_error</c>, <c>accuracy</c>).</param>
    /// <param name="labels">Text columns (e.g. <c>model</c> = <c>resnet-20</c>).</param>
    public LandscapeSweep Add(IReadOnlyDictionary<string, double> conditions, LandscapeAnalysisResult result, IReadOnlyDictionary<string, double>? measurements = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(result);
        SweepTable table = Table;
        HessianSummary h = result.Hessian;
        foreach (SubspaceAnalysis s in result.Subspaces)
        {
            var texts = new Dictionary<string, string> { ["directions"] = s.Kind == DirectionKind.Random ? "random" : "hessian" };
            foreach ((string key, string value) in labels ?? new Dictionary<string, string>())
            {
                texts[key] = value;
            }

            var numbers = new Dictionary<string, double>(conditions);
            foreach ((string key, double value) in measurements ?? new Dictionary<string, double>())
            {
                numbers[key] = value;
            }

            numbers["analysis"] = _results.Count;
            numbers["direction_seed"] = s.Seed ?? double.NaN;
            numbers["minima"] = s.Metrics.MinimumCount;
            numbers["boundary_minima"] = s.Metrics.BoundaryMinimumCount;
            numbers["saddles"] = s.Metrics.SaddleCount;
            numbers["saddle_pairs"] = s.Metrics.SaddlePairCount;
            numbers["avg_persistence"] = s.Metrics.AveragePersistence;
            numbers["avg_persistence_finite"] = s.Metrics.AverageFinitePersistence;
            numbers["max_persistence"] = s.Metrics.MaximumPersistence;
            numbers["persistence_entropy"] = s.Metrics.PersistenceEntropy;
            numbers["top_eigenvalue"] = h.TopEigenvalues.Length > 0 ? h.TopEigenvalues[0] : double.NaN;
            numbers["second_eigenvalue"] = h.TopEigenvalues.Length > 1 ? h.TopEigenvalues[1] : double.NaN;
            numbers["trace"] = h.Trace?.Estimate ?? double.NaN;
            numbers["trace_std_error"] = h.Trace?.StandardError ?? double.NaN;
            numbers["hessian_products"] = h.Products;
            numbers["landscape_min"] = s.Tree.FiniteMinimum;
            numbers["landscape_max"] = s.Tree.FiniteMaximum;
            table = table.Add(new SweepRow(texts, numbers));
        }

        return new LandscapeSweep(table, _results.Add(result));
    }

    /// <summary>
    /// Tests each claim on the table (see <see cref="Claim.Test"/>), drawing the bootstrap by analysis: the subspaces
    /// of one model (several direction seeds) are not independent, so they are drawn together.
    /// </summary>
    /// <param name="claims">The claims.</param>
    /// <param name="options">Draws, seed and level of the bootstrap; <see cref="BootstrapOptions.Default"/> when null.</param>
    public ImmutableArray<ClaimResult> Test(IEnumerable<Claim> claims, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return [.. claims.Select(c => c.Test(Table, options, cluster: "analysis"))];
    }
}
