using System.Text.Json;
using LossLandscape.Topology.Torch.Hessian;
using MathNet.Numerics.LinearAlgebra;

namespace LossLandscape.Topology.Torch.Tests.Support;

/// <summary>The saved 337 × 337 Hessian of the reference MLP and the saved probe vectors.</summary>
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

    /// <summary>All eigenvalues, ascending, by MathNet's symmetric eigendecomposition.</summary>
    public static double[] ExactEigenvalues() =>
        Matrix<double>.Build.DenseOfRowMajor(Dimension, Dimension, Matrix.Value).Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).Order().ToArray();

    public static double Trace() => Enumerable.Range(0, Dimension).Sum(i => Matrix.Value[(i * Dimension) + i]);

    public static double[] Probe(string name) => Probes.Value.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static double[][] ProbeList(string name) =>
        Probes.Value.GetProperty(name).EnumerateArray().Select(row => row.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();

    public static double[] Multiply(double[] v)
    {
        var result = new double[Dimension];
        Operator().Multiply(v, result);
        return result;
    }
}
