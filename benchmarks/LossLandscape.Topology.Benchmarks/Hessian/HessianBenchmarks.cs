using BenchmarkDotNet.Attributes;
using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Benchmarks.Sampling;
using LossLandscape.Topology.Torch.Hessian;

namespace LossLandscape.Topology.Benchmarks.Hessian;

/// <summary>
/// Cost of one Hessian-vector product (double backward) on the 337-parameter MLP and the 7,851-parameter
/// convection PINN, and of the top-2 eigenpairs by Lanczos (to 1e-6) against PyHessian's power iteration (tol 1e-3).
/// The product counts and errors behind these are asserted in the tests (HessianAnalyzerReferenceTests).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class HessianBenchmarks
{
    private SamplingModels _models = null!;
    private HessianOperator _operator = null!;
    private SpectralAnalyzer _analyzer = null!;
    private double[] _vector = null!;
    private double[] _result = null!;

    [Params("mlp-337", "pinn-7851")]
    public string Model { get; set; } = "mlp-337";

    [GlobalSetup]
    public void Setup()
    {
        TorchSharp.torch.set_num_threads(1);
        _models = Model == "mlp-337" ? SamplingModels.Mlp() : SamplingModels.Pinn();
        _operator = new HessianOperator(_models.Unbatched);
        _analyzer = new SpectralAnalyzer(_operator);
        _vector = Enumerable.Range(0, _operator.Dimension).Select(i => Math.Sin(i)).ToArray();
        _result = new double[_operator.Dimension];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _operator.Dispose();
        _models.Dispose();
    }

    [Benchmark(Description = "one Hessian-vector product")]
    public double[] Product()
    {
        _operator.Multiply(_vector, _result);
        return _result;
    }

    [Benchmark(Description = "top-2 by Lanczos (tol 1e-6)")]
    public Eigenpairs Lanczos() => _analyzer.TopEigenpairs(2, new LanczosOptions { Tolerance = 1e-6 });

    [Benchmark(Description = "top-2 by power iteration (tol 1e-3)")]
    public Eigenpairs Power() => _analyzer.PowerIteration(2, new PowerIterationOptions { Epsilon = 1e-6 });
}
