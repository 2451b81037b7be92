using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Losses;

public class MlpLossFunctionTests
{
    [Test]
    public void CanEvaluatePinnResidualBatchedAsOnTheModel()
    {
        // A small convection PINN: u(x, t), residual u_t + β u_x on collocation points, plus an initial-condition term.
        manual_seed(0);
        var model = nn.Sequential(("l1", nn.Linear(2, 12, dtype: ScalarType.Float64)), ("a1", nn.Tanh()),
            ("l2", nn.Linear(12, 12, dtype: ScalarType.Float64)), ("a2", nn.Tanh()), ("l3", nn.Linear(12, 1, dtype: ScalarType.Float64)));
        Tensor collocation = rand(64, 2, dtype: ScalarType.Float64) * tensor(new[] { 2 * Math.PI, 1.0 }, dtype: ScalarType.Float64);
        Tensor initial = stack([linspace(0, 2 * Math.PI, 32, dtype: ScalarType.Float64), zeros(32, dtype: ScalarType.Float64)], 1);
        Tensor initialValues = sin(initial[.., 0]).reshape(1, 32, 1);
        const double Beta = 5;

        Tensor Loss(IMlp mlp)
        {
            Tensor x = mlp.Replicate(collocation);
            Tensor u = mlp.Forward(x);
            Tensor du = autograd.grad([u.sum()], [x], retain_graph: true, create_graph: true)[0];
            Tensor residual = du[.., .., 1] + (Beta * du[.., .., 0]);
            return residual.square().mean(new long[] { 1 }) + (mlp.Forward(initial) - initialValues).square().mean([1, 2]);
        }

        var batched = new MlpLossFunction(model, Loss, requiresInputGradients: true, preferredBatchSize: 10);
        DirectionSet directions = new RandomDirectionSampler(4).Sample(model, 2);
        var sampler = new LandscapeSampler(batched).Along(directions).OnGrid(-1, 1, 7);
        Landscape fast = sampler.Sample();
        Landscape slow = sampler.WithBatching(false).Sample();
        for (int q = 0; q < fast.Count; q++)
        {
            Assert.That(fast.Values[q], Is.EqualTo(slow.Values[q]).Within(1e-12 * slow.Values[q]), $"point {q}");
        }

        Assert.That(fast.Values.ToArray().Distinct().Count(), Is.EqualTo(49), "the points differ");
    }

    [Test]
    public void ConstructorFailsOnLayersWithParametersThatAreNotLinear()
    {
        var model = nn.Sequential(("l1", nn.Linear(2, 4)), ("norm", nn.LayerNorm(4)), ("l2", nn.Linear(4, 1)));
        var ex = Assert.Throws<ArgumentException>(() => new MlpLossFunction(model, m => m.Forward(zeros(3, 2)).sum([1, 2])));
        Assert.That(ex!.Message, Does.Contain("'norm'"));
    }

    [Test]
    public void EvaluateBatchFailsWhenTheLossIsNotOnePerMember()
    {
        var model = nn.Sequential(("l1", nn.Linear(2, 1, dtype: ScalarType.Float64)));
        var loss = new MlpLossFunction(model, m => m.Forward(zeros(3, 2, dtype: ScalarType.Float64)).sum());
        var sampler = new LandscapeSampler(loss).Along(new RandomDirectionSampler(1).Sample(model, 1)).OnGrid(-1, 1, 4);
        var ex = Assert.Throws<InvalidOperationException>(() => sampler.Sample());
        Assert.That(ex!.Message, Does.Contain("one per member"));
    }
}
