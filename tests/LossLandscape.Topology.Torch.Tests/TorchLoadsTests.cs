using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests;

/// <summary>TorchSharp's native library loads here (through the build's libstdc++ fix on older systems).</summary>
public class TorchLoadsTests
{
    [Test]
    public void CanTakeSecondDerivativesOnCpu()
    {
        using var scope = NewDisposeScope();
        Tensor x = tensor(new[] { 1.0, 2.0, 3.0 }, requires_grad: true);
        Tensor y = (x * x * x).sum();
        Tensor g = autograd.grad([y], [x], retain_graph: true, create_graph: true)[0]; // TorchSharp does not default retain_graph to create_graph
        Tensor h = autograd.grad([g.sum()], [x])[0];
        Assert.That(g.data<double>().ToArray(), Is.EqualTo(new[] { 3.0, 12.0, 27.0 }));
        Assert.That(h.data<double>().ToArray(), Is.EqualTo(new[] { 6.0, 12.0, 18.0 }));
    }
}
