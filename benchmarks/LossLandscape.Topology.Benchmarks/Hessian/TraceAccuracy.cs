using LossLandscape.Topology.Benchmarks.Sampling;
using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Torch.Hessian;

namespace LossLandscape.Topology.Benchmarks.Hessian;

/// <summary>
/// XTrace against Hutch++ (<c>-- traces</c>): RMS relative error over 20 seeds at 100 products (Hutch++ 99, in thirds)
/// on the 337-parameter MLP and the convection PINN, against the exact trace from one product per unit vector.
/// </summary>
internal static class TraceAccuracy
{
    public static void Run()
    {
        TorchSharp.torch.set_num_threads(ComputeThreads.Choose());
        foreach ((string name, Func<SamplingModels> create) in new (string, Func<SamplingModels>)[] { ("mlp-337", SamplingModels.Mlp), ("pinn-7851", () => SamplingModels.Pinn()) })
        {
            using SamplingModels models = create();
            using var hessian = new HessianOperator(models.Unbatched);
            int n = hessian.Dimension;
            var unit = new double[n];
            var column = new double[n];
            double exact = 0;
            for (int i = 0; i < n; i++)
            {
                unit[i] = 1;
                hessian.Multiply(unit, column);
                exact += column[i];
                unit[i] = 0;
            }

            var analyzer = new SpectralAnalyzer(hessian);
            double Rms(Func<int, double> estimate) => Math.Sqrt(Enumerable.Range(0, 20).Select(seed => Math.Pow((estimate(seed) - exact) / exact, 2)).Average());
            double xtrace = Rms(seed => analyzer.XTrace(new XTraceOptions { Seed = seed, Products = 100 }).Estimate);
            double hutch = Rms(seed => analyzer.HutchPlusPlus(new HutchPlusPlusOptions { Seed = seed, Products = 99 }).Estimate);
            Console.WriteLine($"{name}: exact trace {exact:G8} ({n} products); RMS relative error over 20 seeds: XTrace (100 products) {xtrace:G3}, Hutch++ (99) {hutch:G3}, ratio {xtrace / hutch:F2}");
        }
    }
}
