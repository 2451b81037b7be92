using System.CommandLine;
using FromPyTorch;
using LossLandscape.Topology.CommandLine;

// A model trained in PyTorch, analysed here: run train_and_save.py first (see README), then point this at its folder.
var folder = new Argument<string>("folder") { Description = "the folder train_and_save.py wrote (model.pt, model.safetensors, direction.pt, inputs.npy, targets.npy, reference.json)" };
var noAnalysis = new Option<bool>("--check-only") { Description = "only compare the losses with PyTorch's; skip the paper's analysis" };
Option<int?> threads = OptionValues.Threads();
var command = new RootCommand("Loads a PyTorch state_dict (.pt and .safetensors) into the matching TorchSharp module, checks its loss against PyTorch's to 1e-10, then runs the paper's analysis") { folder, noAnalysis, threads };
command.HelpName = "FromPyTorch";
command.SetAction(parse =>
{
    string path = parse.GetRequiredValue(folder);
    if (!File.Exists(Path.Combine(path, "reference.json")))
    {
        throw new UsageException($"'{path}' has no reference.json: run python3 examples/FromPyTorch/train_and_save.py {path} first");
    }

    TorchSharp.torch.set_num_threads(LossLandscape.Topology.ComputeThreads.Choose(parse.GetValue(threads)));
    PyTorchRoundTrip.Check(path, Console.Out, analyze: !parse.GetValue(noAnalysis));
    return 0;
});
return CommandLineRunner.Run(command, args, Console.Out, Console.Error, "FromPyTorch");
