using LossLandscape.Topology.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Benchmarks.Sampling;

/// <summary>The two models of the sampling benchmark, each with an unbatched and a batched loss.</summary>
internal sealed class SamplingModels : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private SamplingModels(nn.Module<Tensor, Tensor> model, IHessianLossFunction unbatched, MlpLossFunction batched)
    {
        Model = model;
        Unbatched = unbatched;
        Batched = batched;
    }

    public nn.Module<Tensor, Tensor> Model { get; }

    public IHessianLossFunction Unbatched { get; }

    public MlpLossFunction Batched { get; }

    /// <summary>The MLP's inputs and targets (its loss is their mean squared error); null for the PINN.</summary>
    public (Tensor Inputs, Tensor Targets)? Data { get; private init; }

    /// <summary>A 2-16-16-1 tanh regression MLP (337 parameters) on 256 points, float64, like the PyTorch reference.</summary>
    public static SamplingModels Mlp()
    {
        manual_seed(1234);
        var model = nn.Sequential(("fc1", nn.Linear(2, 16, dtype: ScalarType.Float64)), ("act1", nn.Tanh()),
            ("fc2", nn.Linear(16, 16, dtype: ScalarType.Float64)), ("act2", nn.Tanh()), ("fc3", nn.Linear(16, 1, dtype: ScalarType.Float64)));
        Tensor g = linspace(-1, 1, 16, dtype: ScalarType.Float64);
        Tensor[] mesh = meshgrid([g, g], indexing: "ij");
        Tensor x = stack([mesh[0].flatten(), mesh[1].flatten()], 1).DetachFromDisposeScope();
        Tensor y = (sin(3 * x[.., 0]) * cos(2 * x[.., 1])).unsqueeze(1).DetachFromDisposeScope();
        var unbatched = LossFunction.FullBatch(model, () => (model.call(x) - y).square().mean());
        var batched = new MlpLossFunction(model, m => (m.Forward(x) - y).square().mean([1, 2]), preferredBatchSize: 64);
        var models = new SamplingModels(model, unbatched, batched) { Data = (x, y) };
        models._owned.AddRange([model, x, y]);
        return models;
    }

    /// <summary>
    /// The convection PINN of the paper (2 → 50 → 50 → 50 → 50 → 1, tanh; 7,851 parameters), float32: residual
    /// u_t + β u_x on 1,000 collocation points (derivatives by autograd), initial condition on 256 points,
    /// periodic boundary on 100 times.
    /// </summary>
    public static SamplingModels Pinn(double beta = 5)
    {
        manual_seed(0);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int inputs = 2;
        for (int l = 0; l < 4; l++)
        {
            layers.Add(($"fc{l}", nn.Linear(inputs, 50)));
            layers.Add(($"act{l}", nn.Tanh()));
            inputs = 50;
        }

        layers.Add(("out", nn.Linear(50, 1)));
        var model = nn.Sequential(layers);
        Tensor collocation = (rand(1000, 2) * tensor(new[] { 2 * MathF.PI, 1f })).DetachFromDisposeScope();
        Tensor initial = stack([linspace(0, 2 * Math.PI, 256), zeros(256)], 1).DetachFromDisposeScope();
        Tensor initialValues = sin(initial[.., 0]).reshape(1, 256, 1).DetachFromDisposeScope();
        Tensor times = linspace(0, 1, 100);
        Tensor left = stack([zeros(100), times], 1).DetachFromDisposeScope();
        Tensor right = stack([full(100, 2 * Math.PI), times], 1).DetachFromDisposeScope();

        // The in-place loop evaluates the loss as one writes it for the model alone, derivatives by autograd (as
        // PyTorch's loop does); batched evaluation writes it once against IMlp, derivatives by forward mode.
        Tensor ModelLoss()
        {
            Tensor xt = collocation.detach().clone().requires_grad_();
            Tensor u = model.call(xt);
            Tensor du = InputDerivatives.Gradient(u, xt);
            Tensor residual = du[.., 1] + ((float)beta * du[.., 0]);
            return (model.call(initial) - initialValues.reshape(256, 1)).square().mean()
                + residual.square().mean()
                + (model.call(left) - model.call(right)).square().mean();
        }

        Tensor Loss(IMlp mlp)
        {
            (_, Tensor ut) = mlp.ForwardWithDerivative(collocation, [beta, 1]);
            return (mlp.Forward(initial) - initialValues).square().mean([1, 2])
                + ut.square().mean([1, 2])
                + (mlp.Forward(left) - mlp.Forward(right)).square().mean([1, 2]);
        }

        var unbatched = LossFunction.FullBatch(model, ModelLoss, requiresInputGradients: true);
        var batched = new MlpLossFunction(model, Loss, requiresInputGradients: true, preferredBatchSize: 32);
        var models = new SamplingModels(model, unbatched, batched);
        models._owned.AddRange([model, collocation, initial, initialValues, left, right]);
        return models;
    }

    public void Dispose()
    {
        foreach (IDisposable d in _owned)
        {
            d.Dispose();
        }
    }
}
