using System.Text.Json;
using LossLandscape.Topology.Spectra;

namespace LossLandscape.Topology.Torch.Tests.Support;

/// <summary>The saved 337 × 337 Hessian of the reference MLP (PyTorch's) and the saved probe vectors, to check products against.</summary>
internal static class ReferenceHessian
{
    private static readonly Lazy<double[]> Matrix = new(() =>
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(TestContext.CurrentContext.TestDirectory, "Reference", "mlp", "hessian_337x337_f64le.bin"));
        var values = new double[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length); // little-endian machine, as the file
        return values;
    });

    private static readonly Lazy<JsonElement> Probes = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Reference", "mlp", "probe_vectors.json"))).RootElement);

    public const int Dimension = 337;

    public static DenseSymmetricOperator Operator() => new(Matrix.Value);

    public static double[] Probe(string name) => Probes.Value.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static double[] Multiply(double[] v)
    {
        var result = new double[Dimension];
        Operator().Multiply(v, result);
        return result;
    }
}
