using LossLandscape.Topology.CommandLine;
using PinnConvection;

// The paper's PINN convection study on a small default (see README); `--help` lists the options.
return CommandLineRunner.Run(StudyOptions.CreateCommand(options =>
{
    // Never more compute threads than free cores: --threads, else OMP_NUM_THREADS, else the cores idle right now.
    TorchSharp.torch.set_num_threads(LossLandscape.Topology.ComputeThreads.Choose(options.Threads));
    ConvectionStudy.Run(options, Console.Out);
    return 0;
}), args, Console.Out, Console.Error, "PinnConvection");
