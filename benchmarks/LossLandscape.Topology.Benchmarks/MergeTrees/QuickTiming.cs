using System.Diagnostics;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Benchmarks.MergeTrees;

/// <summary>
/// A quick stopwatch run for profiling sessions (<c>-- quick</c>); the figures to report come from BenchmarkDotNet.
/// </summary>
internal static class QuickTiming
{
    public static void Run()
    {
        foreach (string kind in new[] { "random", "smooth" })
        {
            foreach (int size in new[] { 2048, 4096 })
            {
                var landscape = BenchmarkGrids.Create(kind, size);
                NeighborGraph graph = GridGraphBuilder.Full.Build(landscape);
                var builder = new MergeTreeBuilder();
                builder.Build(graph, landscape).ToPersistenceDiagram();
                var watch = Stopwatch.StartNew();
                long before = GC.GetAllocatedBytesForCurrentThread();
                const int Repeats = 3;
                int minima = 0;
                for (int r = 0; r < Repeats; r++)
                {
                    minima = builder.Build(graph, landscape).ToPersistenceDiagram().Pairs.Length + 1;
                }

                double seconds = watch.Elapsed.TotalSeconds / Repeats;
                double bytesPerVertex = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Repeats / landscape.Count;
                Console.WriteLine($"{kind,-7} {size}²: {seconds * 1000,8:F1} ms, {bytesPerVertex,5:F1} B/vertex allocated, {minima} minima");
            }
        }
    }
}
