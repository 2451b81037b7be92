using System.Text.Json;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Torch.Analysis;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Interop;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace FromPyTorch;

/// <summary>
/// The C# half of the round trip: the PyTorch model of <c>train_and_save.py</c> rebuilt in TorchSharp, its
/// weights loaded from PyTorch's files, its loss compared with PyTorch's own numbers, then the paper's analysis.
/// </summary>
internal static class PyTorchRoundTrip
{
    /// <summary>The agreement asked of the two implementations (float64 on both sides).</summary>
    public const double Tolerance = 1e-10;

    /// <summary>The same layers as the Python script's nn.Sequential, so the names (0.weight, 2.bias, …) match.</summary>
    public static nn.Module<Tensor, Tensor> CreateModel()
    {
        nn.Module<Tensor, Tensor> model = nn.Sequential(
            ("0", nn.Linear(2, 16)), ("1", nn.Tanh()), ("2", nn.Linear(16, 16)), ("3", nn.Tanh()), ("4", nn.Linear(16, 1)));
        model.to(ScalarType.Float64);
        return model;
    }

    /// <summary>Loads the folder's files, checks every loss against PyTorch's and returns the largest relative difference.</summary>
    /// <exception cref="InvalidOperationException">A loss differs from PyTorch's by more than <see cref="Tolerance"/>.</exception>
    public static double Check(string folder, TextWriter log, bool analyze)
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")));
        double[] alphas = reference.RootElement.GetProperty("alphas").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double[] expected = reference.RootElement.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double atTheta = reference.RootElement.GetProperty("loss_at_theta").GetDouble();

        using nn.Module<Tensor, Tensor> model = CreateModel();
        PyTorchWeights.Load(model, Path.Combine(folder, "model.pt"));
        model.eval();

        // The same weights through the other format: bit for bit the same parameters.
        using nn.Module<Tensor, Tensor> twin = CreateModel();
        PyTorchWeights.Load(twin, Path.Combine(folder, "model.safetensors"));
        foreach (((string name, Tensor a), (_, Tensor b)) in model.state_dict().Zip(twin.state_dict()))
        {
            using Tensor equal = a.eq(b);
            using Tensor same = equal.all();
            if (!same.item<bool>())
            {
                throw new InvalidOperationException($"model.pt and model.safetensors differ in {name}.");
            }
        }

        (double[] xValues, int[] xShape) = NpyFile.Read(Path.Combine(folder, "inputs.npy"));
        (double[] yValues, int[] yShape) = NpyFile.Read(Path.Combine(folder, "targets.npy"));
        using Tensor x = tensor(xValues, [xShape[0], xShape[1]], ScalarType.Float64);
        using Tensor y = tensor(yValues, [yShape[0], yShape[1]], ScalarType.Float64);
        var loss = LossFunction.FullBatch(model, () => nn.functional.mse_loss(model.call(x), y));

        double worst = Relative(loss.Evaluate([]), atTheta);
        DirectionSet direction = PyTorchWeights.ReadDirections(model, Path.Combine(folder, "direction.pt"));
        Landscape line = new LandscapeSampler(loss).Along(direction).OnGrid(new LandscapeAxis("alpha", alphas)).Sample();
        for (int i = 0; i < alphas.Length; i++)
        {
            worst = Math.Max(worst, Relative(line.Values[i], expected[i]));
        }

        log.WriteLine($"PyTorch {reference.RootElement.GetProperty("torch").GetString()} vs TorchSharp {torch.__version__}: loss at θ {atTheta:G10}; along the saved direction at {alphas.Length} points the largest relative difference is {worst:E2} (tolerance {Tolerance:E0})");
        if (!(worst <= Tolerance))
        {
            throw new InvalidOperationException($"TorchSharp's loss differs from PyTorch's by {worst:E2} (relative), more than {Tolerance:E0}.");
        }

        if (analyze)
        {
            LandscapeAnalysisResult result = new LandscapeAnalysis(seed: 0).Analyze(loss);
            log.WriteLine($"the paper's analysis of the PyTorch model: λ1 = {result.Hessian.TopEigenvalues[0]:G5}, trace ≈ {result.Hessian.Trace!.Estimate:G5} ± {result.Hessian.Trace.StandardError:G2}");
            foreach (SubspaceAnalysis s in result.Subspaces)
            {
                log.WriteLine($"  {s.Kind} {s.Seed}: {s.Metrics.MinimumCount} minima, {s.Metrics.SaddleCount} saddles, average persistence {s.Metrics.AveragePersistence:G4}");
            }
        }

        return worst;
    }

    private static double Relative(double actual, double expected) => Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), double.Epsilon);
}
