using LossLandscape.Topology.Torch.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Losses;

/// <summary>
/// B members of an MLP given by stacked parameters. On the CPU, without autograd, the library's own kernels run
/// (<see cref="CpuMlp"/>); otherwise every Linear layer is one batched matrix product on the parameters' device.
/// </summary>
internal sealed class BatchedMlp(MlpStructure structure, IReadOnlyList<Tensor> parameters, CpuMlp? kernels) : IMlp
{
    public int MemberCount => (int)parameters[0].shape[0];

    public Tensor Forward(Tensor input)
    {
        if (kernels is not null && kernels.Accepts(parameters, input))
        {
            return kernels.Evaluate(parameters, input, default).Output;
        }

        Tensor h = input;
        foreach (MlpStructure.Step step in structure.Steps)
        {
            if (step.Elementwise is not null)
            {
                h = ((nn.Module<Tensor, Tensor>)step.Elementwise).call(h);
                continue;
            }

            // [N, in] or [B, N, in] times [B, in, out] broadcasts to [B, N, out].
            h = matmul(h, parameters[step.Weight].transpose(-1, -2));
            if (step.Bias >= 0)
            {
                h = TensorArithmetic.Plus(h, parameters[step.Bias].unsqueeze(-2));
            }
        }

        return h;
    }

    public (Tensor Output, Tensor Derivative) ForwardWithDerivative(Tensor input, ReadOnlySpan<double> direction)
    {
        if (kernels is not null && direction.Length == input.shape[^1] && kernels.Accepts(parameters, input))
        {
            (Tensor output, Tensor? derivative) = kernels.Evaluate(parameters, input, direction);
            return (output, derivative!);
        }

        return ForwardMode.Run(structure, parameters, input, direction);
    }

    public Tensor Replicate(Tensor input)
        => input.unsqueeze(0).expand(MemberCount, input.shape[0], input.shape[1]).detach().clone().requires_grad_();
}

/// <summary>The model itself as an <see cref="IMlp"/> of one member.</summary>
internal sealed class ModelMlp(nn.Module<Tensor, Tensor> model, MlpStructure structure) : IMlp
{
    public int MemberCount => 1;

    public Tensor Forward(Tensor input) => input.dim() == 2 ? model.call(input).unsqueeze(0) : model.call(input);

    public (Tensor Output, Tensor Derivative) ForwardWithDerivative(Tensor input, ReadOnlySpan<double> direction)
    {
        (Tensor output, Tensor derivative) = ForwardMode.Run(structure, model.parameters().ToArray(), input, direction);
        return (output.unsqueeze(0), derivative.unsqueeze(0));
    }

    public Tensor Replicate(Tensor input) => input.unsqueeze(0).detach().clone().requires_grad_();
}
