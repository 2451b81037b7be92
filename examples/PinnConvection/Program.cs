using LossLandscape.Topology.CommandLine;
using PinnConvection;

// The paper's PINN convection study on a small default (see README); `--help` lists the options.
// `subspaces` runs the study of its future work instead: landscapes in the span of the top 3 … 10 Hessian eigenvectors.
if (args is ["subspaces", ..])
{
    return CommandLineRunner.Run(SubspaceOptions.CreateCommand(options =>
    {
        TorchSharp.torch.set_num_threads(LossLandscape.Topology.ComputeThreads.Choose(options.Threads));
        SubspaceStudy.Run(options, Console.Out);
        return 0;
    }), args[1..], Console.Out, Console.Error, "PinnConvection subspaces");
}

return CommandLineRunner.Run(StudyOptions.CreateCommand(options =>
{
    // Never more compute threads than free cores: --threads, else OMP_NUM_THREADS, else the cores idle right now.
    TorchSharp.torch.set_num_threads(LossLandscape.Topology.ComputeThreads.Choose(options.Threads));
    ConvectionStudy.Run(options, Console.Out);
    return 0;
}), args, Console.Out, Console.Error, "PinnConvection");
