using LossLandscape.Topology.Torch.Interop;
using LossLandscape.Topology.Torch.Parameters;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Interop;

/// <summary>PyTorchWeights on files written by TorchSharp.PyBridge (PyTorch's own files are in the FromPyTorch example's tests).</summary>
public class PyTorchWeightsTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("llt-weights").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static nn.Module<Tensor, Tensor> Model(int seed)
    {
        torch.manual_seed(seed);
        var model = nn.Sequential(("0", nn.Linear(3, 4)), ("1", nn.BatchNorm1d(4)), ("2", nn.Linear(4, 1)));
        model.to(ScalarType.Float64);
        return model;
    }

    [Test]
    public void LoadsParametersAndBuffersBitForBitFromEitherFormat([Values(".pt", ".safetensors")] string extension)
    {
        using var source = Model(1);
        using (no_grad())
        {
            ((TorchSharp.Modules.BatchNorm1d)source.named_children().Single(c => c.name == "1").module).running_mean!.copy_(tensor(new[] { 1.5, -2, 3, 0.25 }, ScalarType.Float64));
        }

        string path = Path.Combine(_folder, "w" + extension);
        if (extension == ".pt")
        {
            source.save_py(path);
        }
        else
        {
            source.save_safetensors(path);
        }

        using var target = Model(2);
        PyTorchWeights.Load(target, path);
        Assert.That(ParameterLayout.Flatten(target), Is.EqualTo(ParameterLayout.Flatten(source)));
        foreach ((string name, Tensor value) in source.state_dict())
        {
            using Tensor equal = value.eq(target.state_dict()[name]);
            using Tensor all = equal.all();
            Assert.That(all.item<bool>(), Is.True, name);
        }
    }

    [Test]
    public void RefusesFilesThatAreNoStateDict()
    {
        string garbage = Path.Combine(_folder, "g.pt");
        File.WriteAllBytes(garbage, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        using var model = Model(1);
        Assert.That(Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(model, garbage))!.Message, Does.Contain(garbage).And.Contain("not a PyTorch state_dict"));
        string bad = Path.Combine(_folder, "g.safetensors");
        File.WriteAllBytes(bad, [255, 255, 255, 255, 255, 255, 255, 127, 0]);
        Assert.That(Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(model, bad))!.Message, Does.Contain("not a .safetensors file"));
        Assert.Throws<FileNotFoundException>(() => PyTorchWeights.Load(model, Path.Combine(_folder, "none.pt")));
    }

    [Test]
    public void ReadsDirectionsInTheModelsParameterOrder()
    {
        using var model = Model(3);
        using var direction = Model(4);
        string path = Path.Combine(_folder, "d.pt");
        direction.save_py(path);
        var set = PyTorchWeights.ReadDirections(model, path);
        Assert.That(set.Count, Is.EqualTo(1));
        Assert.That(set[0].ToArray(), Is.EqualTo(ParameterLayout.Flatten(direction)));
    }
}
