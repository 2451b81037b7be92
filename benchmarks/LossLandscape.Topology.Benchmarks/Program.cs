using BenchmarkDotNet.Running;
using LossLandscape.Topology.Benchmarks.MergeTrees;

// All benchmarks: dotnet run -c Release --project benchmarks/LossLandscape.Topology.Benchmarks -- --filter '*'
// A quick stopwatch pass while profiling:    ... -- quick
if (args is ["graphs", var size])
{
    LossLandscape.Topology.Benchmarks.Graphs.GraphTiming.Run(int.Parse(size, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["kernels"])
{
    LossLandscape.Topology.Benchmarks.Sampling.KernelTiming.Run();
    return;
}

if (args is ["generic", ..])
{
    LossLandscape.Topology.Benchmarks.Sampling.GenericPathTiming.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1);
    return;
}

if (args is ["traces"])
{
    LossLandscape.Topology.Benchmarks.Hessian.TraceAccuracy.Run();
    return;
}

if (args is ["holes"])
{
    HoleTiming.Run();
    return;
}

if (args is ["tiles"])
{
    StageTiming.RunTiles();
    return;
}

if (args is ["stages"])
{
    StageTiming.Run();
    return;
}

if (args is ["quick"])
{
    QuickTiming.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(QuickTiming).Assembly).Run(args);
