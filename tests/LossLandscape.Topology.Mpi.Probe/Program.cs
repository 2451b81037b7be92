using System.Diagnostics;
using System.Globalization;
using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Mpi;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using TorchSharp;
using static TorchSharp.torch;

// llt-mpi-probe landscape|lanczos|unhandled --out FILE [--batched] [--pinn] [--grid N] [--checkpoint PATH] [--crash-after N]
//               [--fail-on-rank R] [--grid-on-last-rank N]
MpiSession session;
try
{
    session = MpiSession.Start(ref args);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"llt-mpi-probe: {e.Message}");
    return 3;
}

using (session)
{
    string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
    bool Flag(string name) => args.Contains(name);
    string output = Option("--out", "out");
    set_num_threads(1);
    var clock = Stopwatch.StartNew();
    if (args[0] == "landscape")
    {
        bool pinn = Flag("--pinn");
        int grid = int.Parse(Option("--grid", "15"), CultureInfo.InvariantCulture);
        if (session.Rank == session.Size - 1 && Option("--grid-on-last-rank", string.Empty) is { Length: > 0 } other)
        {
            grid = int.Parse(other, CultureInfo.InvariantCulture); // ranks that disagree on the run
        }

        int failOnRank = int.Parse(Option("--fail-on-rank", "-1"), CultureInfo.InvariantCulture);
        int crashAfter = int.Parse(Option("--crash-after", "-1"), CultureInfo.InvariantCulture);
        (nn.Module<Tensor, Tensor> model, MlpLossFunction loss) = pinn ? Models.Pinn() : Models.Mlp();
        int calls = 0;
        ILossFunction used = Flag("--batched")
            ? loss
            : LossFunction.FullBatch(model, () =>
            {
                // The crash test: the last rank dies abruptly partway through, as a job killed by the scheduler.
                if (crashAfter >= 0 && session.Rank == session.Size - 1 && ++calls > crashAfter)
                {
                    Environment.FailFast("killed by the crash test");
                }

                if (session.Rank == failOnRank && ++calls > 20)
                {
                    throw new InvalidOperationException($"the loss failed on rank {session.Rank}");
                }

                return loss.EnumerateTerms().Single().Compute();
            }, requiresInputGradients: pinn);
        DirectionSet directions = new RandomDirectionSampler(5).Sample(model, 2);
        var sampler = new LandscapeSampler(used).Along(directions).OnGrid(-1, 1, grid);
        if (Option("--checkpoint", string.Empty) is { Length: > 0 } checkpoint)
        {
            sampler = sampler.WithCheckpoint(checkpoint);
        }

        // Warm up (first-call costs of TorchSharp and the JIT) outside the timed region, in every process alike.
        new LandscapeSampler(used).Along(directions).OnGrid(-0.1, 0.1, 2).WithBatching(Flag("--batched")).Sample();
        calls = 0; // the crash test counts the run's own points: the killed rank has finished exactly --crash-after of them
        session.Barrier();
        clock.Restart();
        LandscapeSamplingResult result = new DistributedLandscapeSampler(session, sampler).Sample();
        double sampling = clock.Elapsed.TotalSeconds;

        // The communication alone: the same allreduce the sampler ends with, timed on its own.
        var probe = new double[result.Loss.Count * (1 + used.MetricNames.Count)];
        session.Barrier();
        clock.Restart();
        session.SumAcrossRanks(probe);
        double communication = clock.Elapsed.TotalSeconds;
        if (session.IsRoot)
        {
            NpyFile.Write(output, result.Loss);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ranks {session.Size} evaluated {result.PointsEvaluated} resumed {result.PointsFromCheckpoint} seconds {sampling:F3} allreduce {communication * 1000:F3} ms"));
        }
    }
    else if (args[0] == "unhandled")
    {
        // An exception outside the library's collectives, on the last rank, while the others wait in a barrier.
        if (session.Rank == session.Size - 1)
        {
            throw new InvalidOperationException("unhandled on the last rank");
        }

        session.Barrier();
    }
    else
    {
        // The data set split across ranks; each rank's loss is the mean over its shard.
        (Tensor x, Tensor y) = Models.Data(256);
        long share = 256 / session.Size;
        long start = share * session.Rank;
        long count = session.Rank == session.Size - 1 ? 256 - start : share;
        Tensor xs = x.narrow(0, start, count);
        Tensor ys = y.narrow(0, start, count);
        (nn.Module<Tensor, Tensor> model, _) = Models.Mlp();
        var loss = LossFunction.FullBatch(model, () => (model.call(xs) - ys).square().mean());
        using var op = new DistributedHessianOperator(session, loss, count);
        var analyzer = new SpectralAnalyzer(op);
        Eigenpairs top = analyzer.TopEigenpairs(2, new LanczosOptions { Seed = 1, Tolerance = 1e-10 });
        TraceEstimate trace = analyzer.Hutchinson(new HutchinsonOptions { Seed = 2, Probes = 20 });
        if (session.IsRoot)
        {
            File.WriteAllText(output, string.Create(CultureInfo.InvariantCulture, $"{top.Eigenvalues[0]:R} {top.Eigenvalues[1]:R} {trace.Estimate:R} {top.Products}"));
        }
    }
}

return 0;

/// <summary>The probe's models: a small float64 regression MLP, and the convection PINN for timing.</summary>
internal static class Models
{
    public static (Tensor X, Tensor Y) Data(int n)
    {
        var random = new Random(7);
        double[] xs = Enumerable.Range(0, 2 * n).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        double[] ys = Enumerable.Range(0, n).Select(i => Math.Sin(3 * xs[2 * i]) * Math.Cos(2 * xs[(2 * i) + 1])).ToArray();
        return (tensor(xs, [n, 2], dtype: ScalarType.Float64), tensor(ys, [n, 1], dtype: ScalarType.Float64));
    }

    public static (nn.Module<Tensor, Tensor>, MlpLossFunction) Mlp()
    {
        manual_seed(11);
        var model = nn.Sequential(("fc1", nn.Linear(2, 16, dtype: ScalarType.Float64)), ("a1", nn.Tanh()),
            ("fc2", nn.Linear(16, 16, dtype: ScalarType.Float64)), ("a2", nn.Tanh()), ("fc3", nn.Linear(16, 1, dtype: ScalarType.Float64)));
        (Tensor x, Tensor y) = Data(256);
        return (model, new MlpLossFunction(model, m => (m.Forward(x) - y).square().mean([1, 2]), preferredBatchSize: 16));
    }

    public static (nn.Module<Tensor, Tensor>, MlpLossFunction) Pinn()
    {
        manual_seed(0);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int inputs = 2;
        for (int l = 0; l < 4; l++)
        {
            layers.Add(($"fc{l}", nn.Linear(inputs, 50)));
            layers.Add(($"t{l}", nn.Tanh()));
            inputs = 50;
        }

        layers.Add(("out", nn.Linear(50, 1)));
        var model = nn.Sequential(layers);
        Tensor collocation = rand(1000, 2) * tensor(new[] { 2 * MathF.PI, 1f });
        Tensor initial = stack([linspace(0, 2 * Math.PI, 256), zeros(256)], 1);
        Tensor values = sin(initial[.., 0]).reshape(1, 256, 1);
        Tensor Loss(IMlp mlp)
        {
            Tensor xt = mlp.Replicate(collocation);
            Tensor u = mlp.Forward(xt);
            Tensor du = autograd.grad([u.sum()], [xt], retain_graph: true, create_graph: true)[0];
            return (mlp.Forward(initial) - values).square().mean([1, 2]) + (du[.., .., 1] + (5f * du[.., .., 0])).square().mean(new long[] { 1 });
        }

        return (model, new MlpLossFunction(model, Loss, requiresInputGradients: true, preferredBatchSize: 32));
    }
}
