using LossLandscape.Topology.CommandLine;
using ResidualNetworks;

// The paper's ResNet case study on Fashion-MNIST at a small CPU size; `--help` lists the options.
return CommandLineRunner.Run(ResNetOptions.CreateCommand(options =>
{
    // Never more compute threads than free cores: --threads, else OMP_NUM_THREADS, else the cores idle right now.
    TorchSharp.torch.set_num_threads(LossLandscape.Topology.ComputeThreads.Choose(options.Threads));
    try
    {
        ResNetStudy.Run(options, Console.Out);
    }
    catch (FileNotFoundException e)
    {
        throw new UsageException(e.Message); // the data folder lacks Fashion-MNIST: a usage error, not a crash
    }

    return 0;
}), args, Console.Out, Console.Error, "ResidualNetworks");
