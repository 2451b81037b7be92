using System.Numerics.Tensors;
using LossLandscape.Topology.Spectra;
using System.Collections.Immutable;
using System.Globalization;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Parameters;
using LossLandscape.Topology.Torch.Sampling;

namespace LossLandscape.Topology.Torch.Analysis;

/// <summary>
/// The paper's analysis of one model in one call (Fig. 4): Hessian numbers at θ (top eigenvalues, trace, spectral
/// density), then for each subspace — random directions under several seeds, and the top Hessian eigenvectors — the
/// loss landscape, its graph, merge tree, persistence diagram and metrics. A seeded root object: the same seed,
/// options and model give the same result, bit for bit.
/// </summary>
/// <example>
/// <code>
/// var loss = LossFunction.FullBatch(model, () => nn.functional.mse_loss(model.call(x), y));
/// LandscapeAnalysisResult result = new LandscapeAnalysis(seed: 42).Analyze(loss);
/// Console.WriteLine(result.Spread(DirectionKind.Random, m => m.SaddleCount));   // median [min, max] over 3 seeds
/// Console.WriteLine(result.Hessian.TopEigenvalues[0]);
/// </code>
/// </example>
/// <remarks>
/// Seeds: Lanczos, Hutch++ and SLQ use the analysis seed; random subspace i uses seed + i; a scattered design uses
/// the seed. The model's parameters, buffers and training flags are the same afterwards, bit for bit, also after an
/// exception or a cancellation (the sampler and the Hessian operator guarantee it).
/// </remarks>
public sealed class LandscapeAnalysis
{
    /// <summary>Creates an analysis with a seed for everything random in it.</summary>
    public LandscapeAnalysis(int seed = 0) => Seed = seed;

    /// <summary>The seed.</summary>
    public int Seed { get; }

    /// <summary>Analyses <paramref name="loss"/> at its model's current parameters.</summary>
    /// <param name="loss">The loss; its model is the one analysed.</param>
    /// <param name="options">Options; <see cref="LandscapeAnalysisOptions.Default"/> when null.</param>
    /// <param name="progress">Receives the stage and the sampling progress.</param>
    /// <param name="cancellationToken">Stops the analysis (finished points stay in any checkpoint).</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    /// <exception cref="OperationCanceledException">The analysis was cancelled.</exception>
    public LandscapeAnalysisResult Analyze(ILossFunction loss, LandscapeAnalysisOptions? options = null, IProgress<AnalysisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loss);
        options = (options ?? LandscapeAnalysisOptions.Default).Validate();
        var plan = Plan(options);
        int total = plan.Count + 1;
        progress?.Report(new AnalysisProgress("Hessian", 0, total, null));
        HessianSummary hessian = AnalyzeHessian(loss, options, cancellationToken);
        if (options.CheckpointFolder is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var subspaces = ImmutableArray.CreateBuilder<SubspaceAnalysis>(plan.Count);
        for (int i = 0; i < plan.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (DirectionKind kind, int? seed) = plan[i];
            string stage = kind == DirectionKind.Random ? $"landscape random seed {seed}" : "landscape hessian";
            progress?.Report(new AnalysisProgress(stage, i + 1, total, null));
            IProgress<SamplingProgress>? sampling = progress is null ? null : new Progress<SamplingProgress>(p => progress.Report(new AnalysisProgress(stage, i + 1, total, p)));
            DirectionSet directions = kind == DirectionKind.Random
                ? new RandomDirectionSampler(seed!.Value, options.RandomDirections).Sample(loss.Model, options.DirectionCount)
                : HessianDirections(loss, hessian, options);
            subspaces.Add(AnalyzeSubspace(loss, kind, seed, directions, options, sampling, cancellationToken));
        }

        progress?.Report(new AnalysisProgress("done", total, total, null));
        return new LandscapeAnalysisResult(hessian, subspaces.MoveToImmutable(), options, Seed);
    }

    /// <summary>The landscape, graph, merge tree and metrics of one subspace (the part of <see cref="Analyze"/> after the Hessian).</summary>
    public SubspaceAnalysis AnalyzeSubspace(ILossFunction loss, DirectionKind kind, int? seed, DirectionSet directions, LandscapeAnalysisOptions? options = null, IProgress<SamplingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(directions);
        options = (options ?? LandscapeAnalysisOptions.Default).Validate();
        int k = directions.Count;
        LandscapeSampler sampler = new LandscapeSampler(loss).Along(directions);
        sampler = options.ScatteredPoints is { } count
            ? sampler.AtPoints(ScatteredDesign.Halton(count, ScatteredDesign.Cube(k, -options.Range, options.Range), Seed))
            : sampler.OnGrid(-options.Range, options.Range, options.Resolution);
        if (options.CheckpointFolder is { } folder)
        {
            string name = kind == DirectionKind.Random ? string.Create(CultureInfo.InvariantCulture, $"random-{seed}.ckpt") : "hessian.ckpt";
            sampler = sampler.WithCheckpoint(Path.Combine(folder, name));
        }

        LandscapeSamplingResult sampled = sampler.SampleWithMetrics(progress, cancellationToken);
        Landscape landscape = sampled.Loss;
        IGraphBuilder builder = options.Graph ?? (landscape.IsGrid ? GridGraphBuilder.Full : new NnDescentGraphBuilder(8, new NnDescentOptions { Seed = Seed }));
        NeighborGraph graph = builder.Build(landscape);
        MergeTree tree = new MergeTreeBuilder(options.MergeTree).Build(graph, landscape);
        TopologyMetrics metrics = TopologyMetrics.Of(tree, options.Metrics);
        return new SubspaceAnalysis(kind, seed, directions, landscape, sampled.Metrics, graph, GraphName(builder), tree, metrics);
    }

    private List<(DirectionKind Kind, int? Seed)> Plan(LandscapeAnalysisOptions options)
    {
        var plan = new List<(DirectionKind, int?)>();
        foreach (DirectionKind kind in options.Directions)
        {
            if (kind == DirectionKind.Random)
            {
                plan.AddRange(Enumerable.Range(0, options.RandomDirectionSeeds).Select(i => (DirectionKind.Random, (int?)(Seed + i))));
            }
            else
            {
                plan.Add((DirectionKind.Hessian, null));
            }
        }

        return plan;
    }

    private HessianSummary AnalyzeHessian(ILossFunction loss, LandscapeAnalysisOptions options, CancellationToken cancellationToken)
    {
        if (options.TopEigenvalues == 0 && options.TraceProducts == 0 && options.DensitySteps == 0)
        {
            return new HessianSummary([], null, null, null, 0);
        }

        using var analyzer = new HessianAnalyzer(HessianLoss(loss));
        Eigenpairs? top = options.TopEigenvalues > 0
            ? analyzer.TopEigenpairs(Math.Min(options.TopEigenvalues, analyzer.Operator.Dimension), new LanczosOptions { Seed = Seed, Tolerance = options.LanczosTolerance, MaxProducts = options.LanczosMaxProducts }, cancellationToken: cancellationToken)
            : null;
        TraceEstimate? trace = options.TraceProducts > 0 ? analyzer.HutchPlusPlus(new HutchPlusPlusOptions { Products = options.TraceProducts, Seed = Seed }, cancellationToken: cancellationToken) : null;
        SpectralDensity? density = options.DensitySteps > 0
            ? analyzer.SpectralDensity(new SpectralDensityOptions { Seed = Seed, Steps = Math.Min(options.DensitySteps, analyzer.Operator.Dimension) }, cancellationToken: cancellationToken)
            : null;
        long products = (top?.Products ?? 0) + (trace?.Products ?? 0) + (density?.Products ?? 0);
        return new HessianSummary(top is null ? [] : [.. top.Eigenvalues], top, trace, density, products);
    }

    private static IHessianLossFunction HessianLoss(ILossFunction loss) => loss as IHessianLossFunction
        ?? throw new ArgumentException(
            $"The loss ({loss.GetType().Name}) is not an IHessianLossFunction, so its Hessian cannot be taken; analyse it with Directions = [DirectionKind.Random], TopEigenvalues = 0, TraceProducts = 0 and DensitySteps = 0, or build it with LossFunction.",
            nameof(loss));

    private static DirectionSet HessianDirections(ILossFunction loss, HessianSummary hessian, LandscapeAnalysisOptions options)
    {
        Eigenpairs pairs = hessian.Eigenpairs ?? throw new InvalidOperationException("Hessian directions need the top eigenpairs (TopEigenvalues > 0).");
        var layout = ParameterLayout.Of(loss.Model);
        double[] theta = ParameterLayout.Flatten(loss.Model);
        double norm = new DirectionSet(layout, [theta]).Norm(0);
        var vectors = new double[options.DirectionCount][];
        for (int i = 0; i < vectors.Length; i++)
        {
            double[] v = pairs.Eigenvectors[i].ToArray();
            switch (options.HessianScaling)
            {
                case HessianDirectionScaling.ParameterNorm:
                    TensorPrimitives.Multiply(v, norm, v);
                    break;
                case HessianDirectionScaling.FilterNormalized:
                    DirectionMath.Normalize(v, theta, layout, DirectionNormalization.Filter, options.RandomDirections.IgnoreBiasAndNorm);
                    break;
            }

            vectors[i] = v;
        }

        string values = string.Join(", ", pairs.Eigenvalues.Take(vectors.Length).Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));
        return new DirectionSet(layout, vectors, null, $"top {vectors.Length} Hessian eigenvectors (eigenvalues {values}), {options.HessianScaling} scaling");
    }

    private static string GraphName(IGraphBuilder builder) => builder switch
    {
        GridGraphBuilder grid => $"grid {grid.Connectivity}",
        KnnGraphBuilder knn => $"kNN k = {knn.K}",
        NnDescentGraphBuilder descent => $"NN-descent k = {descent.K}",
        DelaunayGraphBuilder => "Delaunay",
        GabrielGraphBuilder => "Gabriel",
        _ => builder.GetType().Name,
    };
}
