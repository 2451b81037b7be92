using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Support;

/// <summary>
/// The PyTorch reference problem (Reference/mlp): a trained 2-16-16-1 tanh MLP in float64, its 256 data points,
/// its exact Hessian eigenvectors and a 21 × 21 landscape computed by PyTorch 1.13.
/// </summary>
internal sealed class ReferenceMlp : IDisposable
{
    private static readonly Lazy<(JsonDocument Problem, JsonDocument Reference)> Documents = new(() =>
    {
        string folder = Path.Combine(TestContext.CurrentContext.TestDirectory, "Reference", "mlp");
        return (JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "problem.json"))),
                JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "reference.json"))));
    });

    private ReferenceMlp(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        Model = model;
        X = x;
        Y = y;
    }

    public nn.Module<Tensor, Tensor> Model { get; }

    public Tensor X { get; }

    public Tensor Y { get; }

    public static JsonElement Reference => Documents.Value.Reference.RootElement;

    public static JsonElement Problem => Documents.Value.Problem.RootElement;

    public static ReferenceMlp Load()
    {
        var model = nn.Sequential(
            ("fc1", nn.Linear(2, 16, dtype: ScalarType.Float64)),
            ("act1", nn.Tanh()),
            ("fc2", nn.Linear(16, 16, dtype: ScalarType.Float64)),
            ("act2", nn.Tanh()),
            ("fc3", nn.Linear(16, 1, dtype: ScalarType.Float64)));
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            foreach (JsonElement p in Problem.GetProperty("params").EnumerateArray())
            {
                double[] data = Flatten(p.GetProperty("data")).ToArray();
                long[] shape = p.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                using Tensor value = tensor(data, shape, dtype: ScalarType.Float64);
                parameters[p.GetProperty("name").GetString()!].copy_(value);
            }
        }

        JsonElement dataset = Problem.GetProperty("dataset");
        double[] xs = Flatten(dataset.GetProperty("X")).ToArray();
        double[] ys = Flatten(dataset.GetProperty("y")).ToArray();
        return new ReferenceMlp(model, tensor(xs, [ys.Length, 2], dtype: ScalarType.Float64), tensor(ys, [ys.Length, 1], dtype: ScalarType.Float64));
    }

    public static double[] Vector(params string[] path)
    {
        JsonElement e = Reference;
        foreach (string p in path)
        {
            e = e.GetProperty(p);
        }

        return Flatten(e).ToArray();
    }

    public Tensor MeanSquaredError() => (Model.call(X) - Y).square().mean();

    public void Dispose()
    {
        Model.Dispose();
        X.Dispose();
        Y.Dispose();
    }

    private static IEnumerable<double> Flatten(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().SelectMany(Flatten)
        : [e.GetDouble()];
}
