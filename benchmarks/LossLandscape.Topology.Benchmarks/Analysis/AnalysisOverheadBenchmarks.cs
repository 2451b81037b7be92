using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Benchmarks.Sampling;
using LossLandscape.Topology.Torch.Analysis;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Parameters;
using LossLandscape.Topology.Torch.Sampling;

namespace LossLandscape.Topology.Benchmarks.Analysis;

/// <summary>
/// The one-call <see cref="LandscapeAnalysis"/> against the same steps written by hand (Hessian top-2, Hutch++ trace,
/// two random subspaces and the Hessian one, each sampled on a 21 × 21 grid, merge tree and metrics): the overhead of
/// the one-call API (the goal: under 5%).
/// </summary>
[Config(typeof(OverheadConfig))]
public class AnalysisOverheadBenchmarks
{
    private static readonly LandscapeAnalysisOptions Options = new() { RandomDirectionSeeds = 2, TraceProducts = 30, DensitySteps = 0 };
    private SamplingModels _models = null!;

    [Params("mlp-337", "pinn-7851")]
    public string Model { get; set; } = "mlp-337";

    [GlobalSetup]
    public void Setup()
    {
        TorchSharp.torch.set_num_threads(1);
        _models = Model == "mlp-337" ? SamplingModels.Mlp() : SamplingModels.Pinn();
    }

    [GlobalCleanup]
    public void Cleanup() => _models.Dispose();

    [Benchmark(Baseline = true, Description = "by hand")]
    public double ByHand()
    {
        var loss = _models.Batched;
        Eigenpairs top;
        TraceEstimate trace;
        using (var analyzer = new HessianAnalyzer(loss))
        {
            top = analyzer.TopEigenpairs(2, new LanczosOptions { Seed = 0, Tolerance = 1e-6 });
            trace = analyzer.HutchPlusPlus(new HutchPlusPlusOptions { Products = 30, Seed = 0 });
        }

        var layout = ParameterLayout.Of(loss.Model);
        double norm = new DirectionSet(layout, [ParameterLayout.Flatten(loss.Model)]).Norm(0);
        DirectionSet[] sets =
        [
            new RandomDirectionSampler(0).Sample(loss.Model, 2),
            new RandomDirectionSampler(1).Sample(loss.Model, 2),
            new DirectionSet(layout, top.Eigenvectors.Select(v => v.Select(x => x * norm).ToArray()).ToArray()),
        ];
        double sum = trace.Estimate;
        foreach (DirectionSet directions in sets)
        {
            Landscape landscape = new LandscapeSampler(loss).Along(directions).OnGrid(-1, 1, 21).Sample();
            MergeTree tree = new MergeTreeBuilder(new MergeTreeOptions { NaNHandling = NaNHandling.TreatAsPositiveInfinity }).Build(GridGraphBuilder.Full, landscape);
            sum += TopologyMetrics.Of(tree).AveragePersistence;
        }

        return sum;
    }

    [Benchmark(Description = "LandscapeAnalysis.Analyze")]
    public double OneCall()
    {
        LandscapeAnalysisResult result = new LandscapeAnalysis(0).Analyze(_models.Batched, Options);
        return result.Hessian.Trace!.Estimate + result.Subspaces.Sum(s => s.Metrics.AveragePersistence);
    }
}

/// <summary>In process, 2 warm-ups and 15 measured iterations: the two methods differ by a few percent at most, under ±10% noise.</summary>
internal sealed class OverheadConfig : ManualConfig
{
    public OverheadConfig()
        => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(15));
}
