using BenchmarkDotNet.Attributes;
using LossLandscape.Topology.Graphs;

namespace LossLandscape.Topology.Benchmarks.Graphs;

/// <summary>
/// The unstructured graphs of 10⁶ uniform random 2-D points (k = 8, union symmetrisation), built with every core:
/// exact kNN through the k-d tree is the baseline that NN-descent has to beat; Delaunay and Gabriel for scale.
/// Times include making the graph undirected and compact.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class GraphBuildBenchmarks
{
    private double[] _xy = null!;
    private double[] _x = null!;
    private double[] _y = null!;

    [Params(1_000_000)]
    public int Points { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _xy = Enumerable.Range(0, 2 * Points).Select(_ => random.NextDouble()).ToArray();
        _x = Enumerable.Range(0, Points).Select(i => _xy[2 * i]).ToArray();
        _y = Enumerable.Range(0, Points).Select(i => _xy[(2 * i) + 1]).ToArray();
    }

    [Benchmark(Baseline = true, Description = "exact kNN (k-d tree)")]
    public NeighborGraph ExactKnn() => new KnnGraphBuilder(8).Build(_xy, 2);

    [Benchmark(Description = "NN-descent")]
    public NeighborGraph NnDescent() => new NnDescentGraphBuilder(8, new NnDescentOptions { Seed = 1 }).Build(_xy, 2);

    [Benchmark(Description = "Delaunay")]
    public NeighborGraph Delaunay() => DelaunayGraphBuilder.Build(_x, _y);

    [Benchmark(Description = "Gabriel")]
    public NeighborGraph Gabriel() => GabrielGraphBuilder.Build(_x, _y);
}
