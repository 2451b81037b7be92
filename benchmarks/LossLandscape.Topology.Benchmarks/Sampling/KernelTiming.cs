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
}
