using LossLandscape.Topology.Spectra;
using System.Collections.Immutable;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Torch.Directions;

namespace LossLandscape.Topology.Torch.Analysis;

/// <summary>
/// Options of <see cref="LandscapeAnalysis"/>; every default lives here. The defaults are the paper's analysis on a
/// small CPU budget: random and Hessian directions in 2-D, three random-direction seeds, a 21 × 21 grid over
/// [−1, 1]², the 8-neighbour graph, the top-2 Hessian eigenvalues, a Hutch++ trace and an SLQ density.
/// </summary>
public sealed record LandscapeAnalysisOptions
{
    /// <summary>The defaults.</summary>
    public static LandscapeAnalysisOptions Default { get; } = new();

    /// <summary>The kinds of subspace to sample, in order; random then Hessian by default.</summary>
    public ImmutableArray<DirectionKind> Directions { get; init; } = [DirectionKind.Random, DirectionKind.Hessian];

    /// <summary>Directions per subspace (the landscape's dimension); 2 by default.</summary>
    public int DirectionCount { get; init; } = 2;

    /// <summary>
    /// Random subspaces, each drawn with its own seed (the analysis seed + 0, + 1, …), so every random-direction
    /// metric comes with a median and a spread; 3 by default.
    /// </summary>
    public int RandomDirectionSeeds { get; init; } = 3;

    /// <summary>How random directions are drawn (filter normalisation by default).</summary>
    public RandomDirectionOptions RandomDirections { get; init; } = RandomDirectionOptions.Default;

    /// <summary>How Hessian eigenvectors are scaled; <see cref="HessianDirectionScaling.ParameterNorm"/> by default.</summary>
    public HessianDirectionScaling HessianScaling { get; init; } = HessianDirectionScaling.ParameterNorm;

    /// <summary>Every axis runs from −Range to +Range; 1 by default.</summary>
    public double Range { get; init; } = 1;

    /// <summary>Grid points per axis; 21 by default. Ignored when <see cref="ScatteredPoints"/> is set.</summary>
    public int Resolution { get; init; } = 21;

    /// <summary>
    /// When set, the landscape is sampled at this many Halton points of [−Range, Range]^k instead of on a grid, and
    /// joined by an NN-descent kNN graph (k = 8) unless <see cref="Graph"/> says otherwise.
    /// </summary>
    public int? ScatteredPoints { get; init; }

    /// <summary>How samples are joined; null for the 8-neighbour grid (or NN-descent for scattered points).</summary>
    public IGraphBuilder? Graph { get; init; }

    /// <summary>Merge-tree options; a diverged (NaN) loss is read as +∞ by default.</summary>
    public MergeTreeOptions MergeTree { get; init; } = new() { NaNHandling = NaNHandling.TreatAsPositiveInfinity };

    /// <summary>How the metrics treat the essential class and boundary minima (the paper's conventions by default).</summary>
    public TopologyMetricsOptions Metrics { get; init; } = TopologyMetricsOptions.Default;

    /// <summary>Top Hessian eigenvalues by Lanczos; 2 by default, at least <see cref="DirectionCount"/> when Hessian directions are asked for.</summary>
    public int TopEigenvalues { get; init; } = 2;

    /// <summary>Relative tolerance of the Lanczos eigenvalues; 1e-6 by default.</summary>
    public double LanczosTolerance { get; init; } = 1e-6;

    /// <summary>Most Hessian-vector products Lanczos may spend on the top eigenvalues; 200 by default.</summary>
    public int LanczosMaxProducts { get; init; } = 200;

    /// <summary>Hessian-vector products for the Hutch++ trace; 99 by default, 0 for no trace.</summary>
    public int TraceProducts { get; init; } = 99;

    /// <summary>Lanczos steps of the stochastic Lanczos quadrature density; 80 by default, 0 for no density.</summary>
    public int DensitySteps { get; init; } = 80;

    /// <summary>A folder for one sampling checkpoint per subspace (a rerun resumes them); none by default.</summary>
    public string? CheckpointFolder { get; init; }

    /// <summary>Checks the options and returns them.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it and its value.</exception>
    public LandscapeAnalysisOptions Validate()
    {
        static ArgumentException Bad(string name, object? value, string why) => new($"{name} is {value}: {why}.", name);
        if (Directions.IsDefaultOrEmpty || Directions.Any(d => !Enum.IsDefined(d)) || Directions.Distinct().Count() != Directions.Length)
        {
            throw Bad(nameof(Directions), Directions.IsDefault ? "default" : string.Join(", ", Directions), "give each kind of direction once");
        }

        if (DirectionCount < 1)
        {
            throw Bad(nameof(DirectionCount), DirectionCount, "at least one direction");
        }

        if (RandomDirectionSeeds < 1 && Directions.Contains(DirectionKind.Random))
        {
            throw Bad(nameof(RandomDirectionSeeds), RandomDirectionSeeds, "random directions need at least one seed");
        }

        if (!Enum.IsDefined(HessianScaling))
        {
            throw Bad(nameof(HessianScaling), HessianScaling, "not a defined scaling");
        }

        if (!(Range > 0) || double.IsInfinity(Range))
        {
            throw Bad(nameof(Range), Range, "a finite positive half-width");
        }

        if (ScatteredPoints is null && (Resolution < 2 || Math.Pow(Resolution, DirectionCount) > 50_000_000))
        {
            throw Bad(nameof(Resolution), Resolution, $"between 2 and a grid of at most 5·10⁷ points in {DirectionCount}-D");
        }

        if (ScatteredPoints is { } points && (points < 10 || points > 50_000_000))
        {
            throw Bad(nameof(ScatteredPoints), points, "between 10 and 5·10⁷");
        }

        int needed = Directions.Contains(DirectionKind.Hessian) ? DirectionCount : 0;
        if (TopEigenvalues < needed || TopEigenvalues < 0)
        {
            throw Bad(nameof(TopEigenvalues), TopEigenvalues, $"at least {needed} (the Hessian directions)");
        }

        if (!(LanczosTolerance > 0 && LanczosTolerance < 1))
        {
            throw Bad(nameof(LanczosTolerance), LanczosTolerance, "in (0, 1)");
        }

        if (LanczosMaxProducts < TopEigenvalues + 1)
        {
            throw Bad(nameof(LanczosMaxProducts), LanczosMaxProducts, $"at least TopEigenvalues + 1 = {TopEigenvalues + 1}");
        }

        if (TraceProducts < 0 || (TraceProducts > 0 && TraceProducts < 3))
        {
            throw Bad(nameof(TraceProducts), TraceProducts, "0 (no trace) or at least 3");
        }

        if (DensitySteps < 0)
        {
            throw Bad(nameof(DensitySteps), DensitySteps, "0 (no density) or more");
        }

        ArgumentNullException.ThrowIfNull(MergeTree, nameof(MergeTree));
        ArgumentNullException.ThrowIfNull(Metrics, nameof(Metrics));
        ArgumentNullException.ThrowIfNull(RandomDirections, nameof(RandomDirections));
        return this;
    }
}
