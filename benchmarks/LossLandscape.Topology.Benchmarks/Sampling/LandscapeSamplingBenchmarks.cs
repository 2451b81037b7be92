using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Sampling;

namespace LossLandscape.Topology.Benchmarks.Sampling;

/// <summary>
/// A 21 × 21 landscape (441 points) of each model, one point at a time by in-place perturbation against B points
/// per call through batched matrix products. Times are per grid point (OperationsPerInvoke = 441).
/// </summary>
/// <remarks>
/// Runs in process: BenchmarkDotNet's generated host project would not carry TorchSharp's native backend
/// (nor this repository's libstdc++ fix for it).
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class LandscapeSamplingBenchmarks
{
    private const int Points = 21 * 21;
    private SamplingModels _models = null!;
    private LandscapeSampler _inPlace = null!;
    private LandscapeSampler _batched = null!;

    [Params("mlp-337", "pinn-7851")]
    public string Model { get; set; } = "mlp-337";

    /// <summary>libtorch's intra-op threads (this machine has 2 cores).</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        TorchSharp.torch.set_num_threads(Threads);
        _models = Model == "mlp-337" ? SamplingModels.Mlp() : SamplingModels.Pinn();
        DirectionSet directions = new RandomDirectionSampler(7).Sample(_models.Model, 2);
        _inPlace = new LandscapeSampler(_models.Unbatched).Along(directions).OnGrid(-1, 1, 21).WithBatching(false);
        _batched = new LandscapeSampler(_models.Batched).Along(directions).OnGrid(-1, 1, 21);
    }

    [GlobalCleanup]
    public void Cleanup() => _models.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Points, Description = "in-place loop, per point")]
    public Landscape InPlace() => _inPlace.Sample();

    [Benchmark(OperationsPerInvoke = Points, Description = "batched, per point")]
    public Landscape Batched() => _batched.Sample();
}

/// <summary>One in-process job: 1 warm-up and 5 measured iterations.</summary>
internal sealed class InProcessConfig : ManualConfig
{
    public InProcessConfig()
        => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5));
}
