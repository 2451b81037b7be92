using ResidualNetworks;

// The paper's ResNet case study on Fashion-MNIST at a small CPU size; `--help` lists the options.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(ResNetOptions.Usage);
    return 0;
}

try
{
    ResNetOptions options = ResNetOptions.Parse(args);
    // Never more compute threads than free cores: OMP_NUM_THREADS, else the cores idle right now.
    TorchSharp.torch.set_num_threads(LossLandscape.Topology.ComputeThreads.Choose());
    ResNetStudy.Run(options, Console.Out);
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
