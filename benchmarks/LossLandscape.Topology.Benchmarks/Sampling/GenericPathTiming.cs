using System.Diagnostics;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Sampling;

namespace LossLandscape.Topology.Benchmarks.Sampling;

/// <summary>
/// The generic path (<c>-- generic [threads]</c>): a loss written with autograd as one writes it in PyTorch
/// (<see cref="SamplingModels.Unbatched"/>), sampled on a 21 × 21 grid by in-place perturbation, and one Hessian-vector
/// product with the gradient graph reused. Prints the lines <c>benchmarks/generic-path/pytorch_loop.py</c> prints for
/// PyTorch, best of three, so the script can set them side by side.
/// </summary>
internal static class GenericPathTiming
{
    public static void Run(int threads)
    {
        TorchSharp.torch.set_num_threads(threads);
        foreach ((string name, Func<SamplingModels> create) in new (string, Func<SamplingModels>)[] { ("mlp-337", SamplingModels.Mlp), ("pinn-7851", () => SamplingModels.Pinn()) })
        {
            using SamplingModels models = create();
            DirectionSet directions = new RandomDirectionSampler(7).Sample(models.Model, 2);
            new LandscapeSampler(models.Unbatched).Along(directions).OnGrid(-1, 1, 5).WithBatching(false).Sample(); // warm-up
            var sampler = new LandscapeSampler(models.Unbatched).Along(directions).OnGrid(-1, 1, 21).WithBatching(false);
            double best = double.PositiveInfinity;
            for (int repeat = 0; repeat < 3; repeat++)
            {
                var watch = Stopwatch.StartNew();
                sampler.Sample();
                best = Math.Min(best, watch.Elapsed.TotalMicroseconds / 441);
            }

            Console.WriteLine($"llt {name} in-place loop per point: {best:F1} us");

            using var hessian = new HessianOperator(models.Unbatched);
            double[] vector = Enumerable.Range(0, hessian.Dimension).Select(i => Math.Sin(i)).ToArray();
            var result = new double[hessian.Dimension];
            for (int i = 0; i < 5; i++)
            {
                hessian.Multiply(vector, result);
            }

            best = double.PositiveInfinity;
            for (int repeat = 0; repeat < 3; repeat++)
            {
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < 50; i++)
                {
                    hessian.Multiply(vector, result);
                }

                best = Math.Min(best, watch.Elapsed.TotalMicroseconds / 50);
            }

            Console.WriteLine($"llt {name} Hessian-vector product: {best:F1} us");

            // libtorch's own floor through TorchSharp: the retained gradient's vector-Jacobian product alone.
            using (var scope = TorchSharp.torch.NewDisposeScope())
            using (TorchSharp.torch.enable_grad())
            {
                var p = models.Model.parameters().ToArray();
                var g = TorchSharp.torch.autograd.grad([models.Unbatched.EnumerateTerms().First().Compute()], p, retain_graph: true, create_graph: true);
                var w = p.Select(t => TorchSharp.torch.randn_like(t)).ToArray();
                best = double.PositiveInfinity;
                for (int repeat = 0; repeat < 3; repeat++)
                {
                    var watch = Stopwatch.StartNew();
                    for (int i = 0; i < 50; i++)
                    {
                        using var inner = TorchSharp.torch.NewDisposeScope();
                        TorchSharp.torch.autograd.grad(g, p, w, retain_graph: true);
                    }

                    best = Math.Min(best, watch.Elapsed.TotalMicroseconds / 50);
                }

                Console.WriteLine($"libtorch {name} vector-Jacobian product alone: {best:F1} us");
            }
        }
    }
}
