using System.Text.Json;
using LossLandscape.Topology.Spectra;

namespace LossLandscape.Topology.Tests.Spectra;

/// <summary>
/// The 337 × 337 Hessian of the reference MLP as PyTorch computed it (Reference/mlp), with PyHessian's probe vectors
/// and numbers: the spectral algorithms are checked on it as an explicit matrix.
/// </summary>
internal static class SavedHessian
{
    private static readonly Lazy<double[]> Entries = new(() =>
    {
        byte[] bytes = File.ReadAllBytes(PathOf("hessian_337x337_f64le.bin"));
        var values = new double[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length); // little-endian machine, as the file
        return values;
    });

    private static readonly Lazy<JsonElement> Probes = new(() => JsonDocument.Parse(File.ReadAllText(PathOf("probe_vectors.json"))).RootElement);

    private static readonly Lazy<JsonElement> Numbers = new(() => JsonDocument.Parse(File.ReadAllText(PathOf("reference.json"))).RootElement);

    public const int Dimension = 337;

    /// <summary>PyTorch's and PyHessian's numbers (reference.json).</summary>
    public static JsonElement Reference => Numbers.Value;

    public static DenseSymmetricOperator Operator() => new(Entries.Value);

    /// <summary>The saved Hessian, row-major.</summary>
    public static double[] Matrix() => Entries.Value;

    public static double Trace() => Enumerable.Range(0, Dimension).Sum(i => Entries.Value[(i * Dimension) + i]);

    public static double[] Probe(string name) => Values(Probes.Value.GetProperty(name));

    public static double[][] ProbeList(string name) => Probes.Value.GetProperty(name).EnumerateArray().Select(Values).ToArray();

    public static double[] Values(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static string PathOf(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Reference", "mlp", file);
}
