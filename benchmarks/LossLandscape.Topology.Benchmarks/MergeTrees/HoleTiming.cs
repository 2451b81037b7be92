using System.Diagnostics;
using LossLandscape.Topology.Persistence;
namespace LossLandscape.Topology.Benchmarks.MergeTrees;
internal static class HoleTiming
{
    public static void Run()
    {
        var landscape = BenchmarkGrids.Create("random", 2048);
        for (int rep = 0; rep < 5; rep++)
        {
            var w = Stopwatch.StartNew();
            DualSweep.Pairs(landscape, false, false);
            Console.WriteLine($"one-pass {w.Elapsed.TotalMilliseconds:F0} ms");
        }
    }
}
