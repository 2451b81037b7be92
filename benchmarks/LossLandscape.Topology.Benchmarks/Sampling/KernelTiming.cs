using System.Diagnostics;
using LossLandscape.Topology.Torch.Kernels;
using LossLandscape.Topology.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Benchmarks.Sampling;

/// <summary>Stopwatch pass over the CPU MLP kernels (<c>-- kernels</c>), for profiling: time per member.</summary>
internal static class KernelTiming
{
    public static void Run()
    {
        Console.WriteLine($"MLP kernels run {CpuMlp.Width}-bit vectors (Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector256 {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}, Vector128 {System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated})");
        if (Environment.GetEnvironmentVariable("SAMPLING") is not null)
        {
            SamplingByBatchSize();
            return;
        }

        set_num_threads(int.Parse(Environment.GetEnvironmentVariable("THREADS") ?? "1"));
        foreach ((string name, Func<SamplingModels> create, int members, double[] direction) in new (string, Func<SamplingModels>, int, double[])[]
        {
            ("mlp-337", SamplingModels.Mlp, 64, []),
            ("pinn-7851 collocation", () => SamplingModels.Pinn(), 32, [5, 1]),
        })
        {
            using SamplingModels models = create();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor[] parameters = models.Model.parameters().Select(p => p.unsqueeze(0).expand([members, .. p.shape]).contiguous()).ToArray();
            MlpStructure structure = MlpStructure.Of(models.Model);
            CpuMlp kernels = CpuMlp.TryCreate(structure, parameters) ?? throw new InvalidOperationException("no kernels");
            Tensor input = name.StartsWith("mlp", StringComparison.Ordinal)
                ? rand(256, 2, dtype: ScalarType.Float64)
                : rand(1000, 2);
            for (int repeat = 0; repeat < 3; repeat++)
            {
                var watch = Stopwatch.StartNew();
                int calls = 0;
                while (watch.ElapsedMilliseconds < 1000)
                {
                    using var inner = NewDisposeScope();
                    kernels.Evaluate(parameters, input, direction);
                    calls++;
                }

                Console.WriteLine($"{name}: {watch.Elapsed.TotalMicroseconds / (calls * members):F1} µs per member (B = {members})");
            }
        }
    }

    private static void SamplingByBatchSize()
    {
        set_num_threads(int.Parse(Environment.GetEnvironmentVariable("THREADS") ?? "1"));
        using SamplingModels models = SamplingModels.Pinn();
        var directions = new LossLandscape.Topology.Torch.Directions.RandomDirectionSampler(7).Sample(models.Model, 2);
        foreach (int batch in new[] { 16, 32, 64, 128 })
        {
            var loss = ((MlpLossFunction)models.Batched).WithBatchSize(batch);
            var sampler = new LossLandscape.Topology.Torch.Sampling.LandscapeSampler(loss).Along(directions).OnGrid(-1, 1, 21);
            sampler.Sample();
            var watch = Stopwatch.StartNew();
            for (int r = 0; r < 3; r++)
            {
                sampler.Sample();
            }

            Console.WriteLine($"pinn batched B = {batch}: {watch.Elapsed.TotalMicroseconds / (3 * 441):F1} µs per point");
        }

        // The in-place loop over the same forward-mode loss (the model's own layers through libtorch), for comparison
        // with the loop over the autograd loss that the benchmark uses.
        var loop = new LossLandscape.Topology.Torch.Sampling.LandscapeSampler(models.Batched).Along(directions).OnGrid(-1, 1, 21).WithBatching(false);
        loop.Sample();
        var clock = Stopwatch.StartNew();
        loop.Sample();
        Console.WriteLine($"pinn in-place loop, forward-mode loss: {clock.Elapsed.TotalMicroseconds / 441:F1} µs per point");

    }
}
