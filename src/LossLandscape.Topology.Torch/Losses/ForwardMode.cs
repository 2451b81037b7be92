using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Losses;

/// <summary>
/// An MLP's outputs and their derivative along one direction in input space, by forward mode with libtorch
/// operations: each Linear layer maps the tangent by its weight, each activation multiplies it by the activation's
/// derivative. Needs no autograd graph with respect to the inputs (a PINN's u_t + β u_x is one such derivative),
/// and stays differentiable with respect to the parameters.
/// </summary>
internal static class ForwardMode
{
    /// <param name="structure">The MLP's layers.</param>
    /// <param name="parameters">The model's parameters ([out, in]) or B members' ([B, out, in]).</param>
    /// <param name="input">[N, in].</param>
    /// <param name="direction">One entry per input feature.</param>
    /// <returns>Outputs and derivatives, each [N, out] or [B, N, out].</returns>
    /// <exception cref="NotSupportedException">An activation other than tanh, sigmoid, ReLU or identity.</exception>
    public static (Tensor Output, Tensor Derivative) Run(MlpStructure structure, IReadOnlyList<Tensor> parameters, Tensor input, ReadOnlySpan<double> direction)
    {
        if (direction.Length != input.shape[^1])
        {
            throw new ArgumentException($"The direction has {direction.Length} entries; the inputs have {input.shape[^1]} features.", nameof(direction));
        }

        Tensor h = input;
        Tensor tangent = tensor(direction.ToArray(), [1, direction.Length], dtype: input.dtype, device: input.device);
        foreach (MlpStructure.Step step in structure.Steps)
        {
            if (step.Weight >= 0)
            {
                Tensor weight = parameters[step.Weight].transpose(-1, -2);
                h = matmul(h, weight);
                tangent = matmul(tangent, weight);
                if (step.Bias >= 0)
                {
                    Tensor bias = parameters[step.Bias];
                    h = TensorArithmetic.Plus(h, bias.dim() == 2 ? bias.unsqueeze(-2) : bias);
                }

                continue;
            }

            switch (step.Elementwise)
            {
                case TorchSharp.Modules.Tanh:
                    h = h.tanh();
                    tangent = tangent * TensorArithmetic.OneMinus(h.square());
                    break;
                case TorchSharp.Modules.Sigmoid:
                    h = h.sigmoid();
                    tangent = tangent * h * TensorArithmetic.OneMinus(h);
                    break;
                case TorchSharp.Modules.ReLU:
                    tangent = tangent * TensorArithmetic.Positive(h).to_type(h.dtype);
                    h = h.relu();
                    break;
                case TorchSharp.Modules.Identity:
                    break;
                default:
                    throw new NotSupportedException($"Forward-mode derivatives take tanh, sigmoid, ReLU and identity activations; the model has {step.Elementwise!.GetType().Name}.");
            }
        }

        return (h, tangent.expand_as(h));
    }
}
