using PinnConvection;

// The paper's PINN convection study on a small default (see README); `--help` lists the options.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(StudyOptions.Usage);
    return 0;
}

StudyOptions options;
try
{
    options = StudyOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(StudyOptions.Usage);
    return 2;
}

// Never more compute threads than free cores: --threads, else OMP_NUM_THREADS, else the cores idle right now.
int threads = LossLandscape.Topology.ComputeThreads.Choose(options.Threads);
TorchSharp.torch.set_num_threads(threads);
ConvectionStudy.Run(options, Console.Out);
return 0;
