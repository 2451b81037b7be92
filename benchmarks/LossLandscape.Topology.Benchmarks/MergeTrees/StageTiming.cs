using System.Diagnostics;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Ordering;

namespace LossLandscape.Topology.Benchmarks.MergeTrees;

/// <summary>Times the stages of the merge tree separately (<c>-- stages</c>), for profiling.</summary>
internal static class StageTiming
{
    public static void Run()
    {
        foreach ((string kind, int size) in new[] { ("random", 2048), ("smooth", 2048), ("random", 4096) })
        {
            var landscape = BenchmarkGrids.Create(kind, size);
            int n = landscape.Count;
            NeighborGraph graph = GridGraphBuilder.Full.Build(landscape);
            ulong[] keys = new ulong[n];
            ulong[] scratch = new ulong[n];
            int[] order = new int[n];
            int[] parent = new int[n];
            for (int repeat = 0; repeat < 3; repeat++)
            {
                var watch = Stopwatch.StartNew();
                SortableKeys.Fill(landscape.Values, keys, NaNHandling.Throw);
                double fill = watch.Elapsed.TotalMilliseconds;
                RadixArgsort.Sort(keys, scratch, order, parent);
                double sort = watch.Elapsed.TotalMilliseconds;
                var sweep = new JoinSweep(parent, n, n / 16);
                sweep.Run(order, new Grid2DNeighborhood(graph.Grid!), graph.MaxDegree);
                double swept = watch.Elapsed.TotalMilliseconds;
                MergeTree tree = sweep.Finish(order, landscape.Values, false, landscape);
                double finished = watch.Elapsed.TotalMilliseconds;
                tree.ToPersistenceDiagram();
                double diagram = watch.Elapsed.TotalMilliseconds;
                Console.WriteLine($"{kind} {size}²: keys {fill:F0} ms, sort {sort - fill:F0} ms, sweep {swept - sort:F0} ms, finish {finished - swept:F0} ms, diagram {diagram - finished:F0} ms");
            }
        }
    }
}
