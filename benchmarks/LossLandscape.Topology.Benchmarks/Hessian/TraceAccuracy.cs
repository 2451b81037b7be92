using LossLandscape.Topology.Benchmarks.Sampling;
using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Torch.Hessian;

namespace LossLandscape.Topology.Benchmarks.Hessian;

/// <summary>
/// XTrace and XNysTrace against Hutch++ (<c>-- traces</c>): RMS relative error over 20 seeds at 100 products (Hutch++
/// 99, in thirds), against the exact trace from one product per unit vector. The Hessians of the 337-parameter MLP,
/// of the convection PINN and of PyTorch's saved reference MLP (its 337 × 337 matrix) take XTrace, as they are
/// indefinite, the PINN also after 2,000 Adam steps (as the studies analyse it); the MLP's Gauss–Newton matrix and
/// empirical Fisher (positive semi-definite) take all three.
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
            Report($"{name} Hessian", hessian, positive: false);
            if (models.Data is { } data)
            {
                using var ggn = OutputCurvatureOperator.GaussNewton(models.Model, data.Inputs, data.Targets, OutputLoss.MeanSquaredError);
                Report($"{name} Gauss-Newton", ggn, positive: true);
                using var fisher = OutputCurvatureOperator.EmpiricalFisher(models.Model, data.Inputs, data.Targets, OutputLoss.MeanSquaredError);
                Report($"{name} empirical Fisher", fisher, positive: true);
            }
        }

        // The PINN as the studies analyse it: trained (2,000 Adam steps at 1e-3, as the main job's default), float32.
        using (SamplingModels pinn = SamplingModels.Pinn())
        {
            Train(pinn, steps: 2000);
            using var hessian = new HessianOperator(pinn.Unbatched);
            Report("pinn-7851 trained Hessian", hessian, positive: false);
        }

        string saved = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tests", "LossLandscape.Topology.Torch.Tests", "Reference", "mlp", "hessian_337x337_f64le.bin");
        if (File.Exists(saved))
        {
            double[] entries = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(saved)).ToArray();
            Report("reference-mlp saved Hessian", new DenseSymmetricOperator(entries), positive: false);
        }
        else
        {
            Console.WriteLine($"reference-mlp: skipped, {Path.GetFullPath(saved)} is not there");
        }
    }

    private static void Train(SamplingModels models, int steps)
    {
        using var optimizer = TorchSharp.torch.optim.Adam(models.Model.parameters(), lr: 1e-3);
        for (int step = 0; step < steps; step++)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            optimizer.zero_grad();
            TorchSharp.torch.Tensor loss = models.Unbatched.EnumerateTerms().Single().Compute();
            loss.backward();
            optimizer.step();
        }
    }

    private static void Report(string name, ISymmetricOperator op, bool positive)
    {
        int n = op.Dimension;
        var unit = new double[n];
        var column = new double[n];
        double exact = 0;
        for (int i = 0; i < n; i++)
        {
            unit[i] = 1;
            op.Multiply(unit, column);
            exact += column[i];
            unit[i] = 0;
        }

        var analyzer = new SpectralAnalyzer(op);
        double Rms(Func<int, double> estimate) => Math.Sqrt(Enumerable.Range(0, 20).Select(seed => Math.Pow((estimate(seed) - exact) / exact, 2)).Average());
        double xtrace = Rms(seed => analyzer.XTrace(new XTraceOptions { Seed = seed, Products = 100 }).Estimate);
        double hutch = Rms(seed => analyzer.HutchPlusPlus(new HutchPlusPlusOptions { Seed = seed, Products = 99 }).Estimate);
        string line = $"{name}: exact trace {exact:G8} ({n} products); RMS relative error over 20 seeds: Hutch++ (99) {hutch:G3}, XTrace (100) {xtrace:G3} (ratio {xtrace / hutch:G2})";
        if (positive)
        {
            double xnys = Rms(seed => analyzer.XNysTrace(new XNysTraceOptions { Seed = seed, Products = 100 }).Estimate);
            line += $", XNysTrace (100) {xnys:G3} (ratio {xnys / hutch:G2})";
        }

        Console.WriteLine(line);
    }
}
