using System.Diagnostics;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Ordering;

namespace LossLandscape.Topology.Benchmarks.MergeTrees;

/// <summary>Times the stages of the merge tree separately (<c>-- stages</c>), for profiling.</summary>
internal static class StageTiming
{
    /// <summary>The tiled sweep's first phase alone (<c>-- tiles</c>): the 64 tiles of a random 2048² grid on one thread.</summary>
    public static void RunTiles()
    {
        var landscape = BenchmarkGrids.Create("random", 2048);
        ulong[] keys = new ulong[landscape.Count];
        SortableKeys.Fill(landscape.Values, keys, NaNHandling.Throw);
        GridTopology grid = GridGraphBuilder.Full.Build(landscape).Grid!;
        int[] rd = new int[grid.StencilSize], cd = new int[grid.StencilSize];
        for (int s = 0; s < rd.Length; s++)
        {
            rd[s] = grid.StencilDeltas(s)[0];
            cd[s] = grid.StencilDeltas(s)[1];
        }

        var store = new GridTile.Store(64 * 256 * 254);
        for (int repeat = 0; repeat < 5; repeat++)
        {
            var watch = Stopwatch.StartNew();
            for (int t = 0; t < 64; t++)
            {
                GridTile.Sweep(store, t * 256 * 254, keys, 2048, 2048, t / 8 * 256, t % 8 * 254, 256, 254, rd, cd);
            }

            Console.WriteLine($"64 tiles of 256 × 254, one thread: {watch.Elapsed.TotalMilliseconds:F0} ms");
        }
    }

    public static void Run()
    {
        // The tiled build (2 threads) phase by phase, then the sequential build stage by stage.
        var random = BenchmarkGrids.Create("random", 2048);
        NeighborGraph full = GridGraphBuilder.Full.Build(random);
        var builder = new MergeTreeBuilder(new MergeTreeOptions { Threads = 2 });
        var phase = Stopwatch.StartNew();
        var line = new System.Text.StringBuilder();
        TiledJoin.PhaseEnded = name =>
        {
            line.Append($"{name} {phase.Elapsed.TotalMilliseconds:F0} ms, ");
            phase.Restart();
        };
        for (int repeat = 0; repeat < 3; repeat++)
        {
            line.Clear();
            var watch = Stopwatch.StartNew();
            phase.Restart();
            builder.Build(full, random);
            Console.WriteLine($"tiled random 2048², 2 threads: {line}total {watch.Elapsed.TotalMilliseconds:F0} ms");
        }

        TiledJoin.PhaseEnded = null;

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
