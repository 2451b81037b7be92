using System.Diagnostics;
using FromPyTorch;
using LossLandscape.Topology.Torch.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Examples.Tests;

/// <summary>The PyTorch round trip: Debian's PyTorch trains and saves a model; TorchSharp loads it and matches PyTorch's losses.</summary>
public class FromPyTorchTests
{
    private static string _folder = null!;

    [OneTimeSetUp]
    public static void TrainInPyTorch()
    {
        _folder = Directory.CreateTempSubdirectory("llt-frompytorch").FullName;
        const string Python = "/usr/bin/python3";
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import torch, numpy");
        using (Process probe = Process.Start(start)!)
        {
            probe.WaitForExit();
            if (probe.ExitCode != 0)
            {
                Assert.Ignore("Debian's PyTorch is missing: apt-get install python3-torch python3-numpy");
            }
        }

        var run = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        run.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "train_and_save.py"));
        run.ArgumentList.Add(_folder);
        using Process process = Process.Start(run)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, output);
    }

    [OneTimeTearDown]
    public static void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void TorchSharpMatchesPyTorchsLossesToOneInTenBillion()
    {
        var log = new StringWriter();
        double worst = PyTorchRoundTrip.Check(_folder, log, analyze: false);
        Assert.That(worst, Is.LessThanOrEqualTo(PyTorchRoundTrip.Tolerance), log.ToString());
        Assert.That(log.ToString(), Does.Contain("at 11 points"));
    }

    [Test]
    public void AModuleThatDoesNotFitIsLeftUntouchedAndEveryMismatchIsNamed()
    {
        using nn.Module<Tensor, Tensor> other = nn.Sequential(("0", nn.Linear(2, 8)), ("1", nn.Tanh()), ("2", nn.Linear(8, 16)), ("5", nn.Linear(16, 1)));
        other.to(ScalarType.Float64);
        var before = other.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var ex = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(other, Path.Combine(_folder, "model.pt")));
        Assert.That(ex!.Message, Does.Contain("missing from the file: 5.weight, 5.bias")
            .And.Contain("in the file but not in the module: 4.bias, 4.weight")
            .And.Contain("0.weight (16, 2) in the file, (8, 2) in the module")
            .And.Contain("nothing was loaded"));
        foreach ((string name, Tensor value) in other.state_dict())
        {
            using Tensor equal = value.eq(before[name]);
            using Tensor all = equal.all();
            Assert.That(all.item<bool>(), Is.True, $"{name} changed although the load was refused");
        }

        using nn.Module<Tensor, Tensor> renamed = nn.Sequential(("first", nn.Linear(2, 16)), ("a", nn.Tanh()), ("second", nn.Linear(16, 16)), ("b", nn.Tanh()), ("third", nn.Linear(16, 1)));
        renamed.to(ScalarType.Float64);
        var names = new Dictionary<string, string> { ["0"] = "first", ["2"] = "second", ["4"] = "third" };
        PyTorchWeights.Load(renamed, Path.Combine(_folder, "model.safetensors"), n => names[n.Split('.')[0]] + "." + n.Split('.')[1]);
        using nn.Module<Tensor, Tensor> reference = PyTorchRoundTrip.CreateModel();
        PyTorchWeights.Load(reference, Path.Combine(_folder, "model.pt"));
        using Tensor a = renamed.state_dict()["third.weight"].eq(reference.state_dict()["4.weight"]);
        using Tensor same = a.all();
        Assert.That(same.item<bool>(), Is.True, "renamed entries carry the same values");
    }
}
