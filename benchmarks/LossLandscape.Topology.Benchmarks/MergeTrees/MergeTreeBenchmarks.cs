using BenchmarkDotNet.Attributes;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.Benchmarks.MergeTrees;

/// <summary>
/// Merge tree + persistence diagram of a grid with 8-neighbour connectivity, single thread, against the
/// floor that NumPy sets: sorting the values (here <see cref="Array.Sort{TKey, TValue}(TKey[], TValue[])"/> of the values with their indices).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class MergeTreeBenchmarks
{
    private Landscape _landscape = null!;
    private NeighborGraph _graph = null!;
    private double[] _sortKeys = null!;
    private int[] _sortItems = null!;

    [Params(256, 1024, 2048, 4096)]
    public int Size { get; set; }

    [Params("random", "smooth")]
    public string Kind { get; set; } = "random";

    [GlobalSetup]
    public void Setup()
    {
        _landscape = BenchmarkGrids.Create(Kind, Size);
        _graph = GridGraphBuilder.Full.Build(_landscape);
        _sortKeys = new double[_landscape.Count];
        _sortItems = new int[_landscape.Count];
    }

    [Benchmark(Description = "merge tree + diagram")]
    public PersistenceDiagram MergeTreeAndDiagram() => new MergeTreeBuilder().Build(_graph, _landscape).ToPersistenceDiagram();

    [Benchmark(Baseline = true, Description = "Array.Sort(values, indices)")]
    public int[] ComparisonSortOfValues()
    {
        _landscape.Values.CopyTo(_sortKeys);
        for (int i = 0; i < _sortItems.Length; i++)
        {
            _sortItems[i] = i;
        }

        Array.Sort(_sortKeys, _sortItems);
        return _sortItems;
    }
}
