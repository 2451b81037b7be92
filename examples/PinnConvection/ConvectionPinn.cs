using LossLandscape.Topology.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace PinnConvection;

/// <summary>The PINN of the paper's Sec. 3.2: an MLP 2 → 50 → 50 → 50 → 50 → 1 with tanh, and its loss.</summary>
internal static class ConvectionPinn
{
    public static nn.Module<Tensor, Tensor> CreateModel(int width, int depth, long seed, Device device)
    {
        manual_seed(seed);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int inputs = 2;
        for (int l = 0; l < depth; l++)
        {
            layers.Add(($"fc{l}", nn.Linear(inputs, width)));
            layers.Add(($"tanh{l}", nn.Tanh()));
            inputs = width;
        }

        layers.Add(("out", nn.Linear(inputs, 1)));
        var model = nn.Sequential(layers);
        model.to(device);
        return model;
    }

    /// <summary>
    /// Loss per member (shape [B]): initial-condition MSE + residual MSE of u_t + β u_x + periodic-boundary MSE,
    /// written once for the model itself and for batches of perturbed parameters. The residual is the derivative of
    /// u along (β, 1) in (x, t), taken by forward mode: no autograd graph through the inputs, so batched sampling
    /// runs on the library's CPU kernels, and training still differentiates it with respect to the parameters.
    /// </summary>
    public static Tensor Loss(IMlp mlp, ConvectionProblem problem)
    {
        (_, Tensor residual) = mlp.ForwardWithDerivative(problem.Collocation, [problem.Beta, 1]);
        Tensor initial = (mlp.Forward(problem.Initial) - problem.InitialValues).square().mean([1, 2]);
        Tensor boundary = (mlp.Forward(problem.Left) - mlp.Forward(problem.Right)).square().mean([1, 2]);
        return initial + residual.square().mean([1, 2]) + boundary;
    }

    public static MlpLossFunction LossFunction(nn.Module<Tensor, Tensor> model, ConvectionProblem problem, int batchSize)
        => new(model, mlp => Loss(mlp, problem), requiresInputGradients: true, preferredBatchSize: batchSize);

    /// <summary>Adam, then optionally L-BFGS, on the full batch; reports the loss every so often.</summary>
    public static double Train(nn.Module<Tensor, Tensor> model, ConvectionProblem problem, int adamSteps, int lbfgsSteps, double learningRate, Action<int, double>? report)
    {
        var loss = LossFunction(model, problem, 1);
        Tensor Objective() => loss.EnumerateTerms().Single().Compute();

        using (var adam = optim.Adam(model.parameters(), learningRate))
        {
            for (int step = 1; step <= adamSteps; step++)
            {
                using var scope = NewDisposeScope();
                adam.zero_grad();
                Tensor value = Objective();
                value.backward();
                adam.step();
                if (step % 100 == 0 || step == adamSteps)
                {
                    report?.Invoke(step, value.ToDouble());
                }
            }
        }

        if (lbfgsSteps > 0)
        {
            using var lbfgs = optim.LBFGS(model.parameters(), 1.0, lbfgsSteps, null, 1e-9, 1e-12, 50);
            using var scope = NewDisposeScope();
            lbfgs.step(() =>
            {
                lbfgs.zero_grad();
                Tensor value = Objective();
                value.backward();
                return value;
            });
            report?.Invoke(adamSteps + lbfgsSteps, loss.Evaluate([]));
        }

        return loss.Evaluate([]);
    }

    /// <summary>The model's u on an nx × nt grid, [nt, nx] (rows are times).</summary>
    public static double[,] Predict(nn.Module<Tensor, Tensor> model, int nx, int nt, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var points = new float[nx * nt * 2];
        for (int j = 0; j < nt; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                points[((j * nx) + i) * 2] = (float)(2 * Math.PI * i / nx);
                points[(((j * nx) + i) * 2) + 1] = nt == 1 ? 0 : (float)j / (nt - 1);
            }
        }

        float[] u = model.call(tensor(points, [nx * nt, 2]).to(device)).cpu().data<float>().ToArray();
        var result = new double[nt, nx];
        for (int j = 0; j < nt; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                result[j, i] = u[(j * nx) + i];
            }
        }

        return result;
    }
}
