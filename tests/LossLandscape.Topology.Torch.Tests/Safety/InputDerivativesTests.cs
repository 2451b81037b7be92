using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Safety;

public class InputDerivativesTests
{
    [Test]
    public void CanSampleAndAnalyseAPinnResidualBuiltWithTheHelper()
    {
        // u_t + β u_x through InputDerivatives: the Hessian differentiates it again without aborting the process.
        manual_seed(2);
        using var model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1));
        model.to(float64);
        using Tensor points = rand(20, 2, dtype: float64);
        var loss = LossFunction.FullBatch(model, () =>
        {
            Tensor x = points.detach().clone().requires_grad_(true);
            Tensor u = model.call(x);
            Tensor residual = InputDerivatives.Partial(u, x, 1) + (3 * InputDerivatives.Partial(u, x, 0));
            return residual.square().mean();
        }, requiresInputGradients: true);
        new LandscapeSampler(loss).Along(new RandomDirectionSampler(1).Sample(model, 2)).OnGrid(-1, 1, 3).Sample();
        using var analyzer = new HessianAnalyzer(loss);
        Eigenpairs top = analyzer.TopEigenpairs(1);
        Assert.That(top.Eigenvalues[0], Is.GreaterThan(0).And.Not.NaN);
    }

    [Test]
    public void GradientFailsOnAnInputThatDoesNotRequireGrad()
    {
        using Tensor x = ones(3, 2);
        using Tensor y = x * 2;
        var ex = Assert.Throws<ArgumentException>(() => InputDerivatives.Gradient(y, x));
        Assert.That(ex!.ParamName, Is.EqualTo("input"));
        Assert.Throws<ArgumentOutOfRangeException>(() => InputDerivatives.Partial(y, x.requires_grad_(true), 5));
    }

    [Test]
    public void HessianFailsWithAManagedExceptionOnALiterallyPortedPinnLoss()
    {
        // autograd.grad(u.sum(), x, create_graph: true) without retain_graph: true, as written in PyTorch. TorchSharp
        // frees the graph, and a second differentiation used to abort the whole process.
        manual_seed(2);
        using var model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1));
        using Tensor points = rand(20, 2);
        var loss = LossFunction.FullBatch(model, () =>
        {
            Tensor x = points.detach().clone().requires_grad_(true);
            Tensor u = model.call(x);
            Tensor du = autograd.grad([u.sum()], [x], create_graph: true)[0];
            return du.square().mean();
        }, requiresInputGradients: true);
        Tensor? gradBefore = model.parameters().First().grad;
        using var analyzer = new HessianAnalyzer(loss);
        var ex = Assert.Throws<InvalidOperationException>(() => analyzer.TopEigenpairs(1));
        Assert.That(ex!.Message, Does.Contain("retain_graph").And.Contain("InputDerivatives"));
        Assert.That(model.parameters().First().grad, Is.EqualTo(gradBefore), "no gradient left behind");
    }
}
