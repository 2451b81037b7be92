using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Losses;

/// <summary>B members of an MLP given by stacked parameters: every Linear layer is one batched matrix product.</summary>
internal sealed class BatchedMlp(MlpStructure structure, IReadOnlyList<Tensor> parameters) : IMlp
{
    public int MemberCount => (int)parameters[0].shape[0];

    public Tensor Forward(Tensor input)
    {
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
                h = h + parameters[step.Bias].unsqueeze(-2);
            }
        }

        return h;
    }

    public Tensor Replicate(Tensor input)
        => input.unsqueeze(0).expand(MemberCount, input.shape[0], input.shape[1]).detach().clone().requires_grad_();
}

/// <summary>The model itself as an <see cref="IMlp"/> of one member.</summary>
internal sealed class ModelMlp(nn.Module<Tensor, Tensor> model) : IMlp
{
    public int MemberCount => 1;

    public Tensor Forward(Tensor input) => input.dim() == 2 ? model.call(input).unsqueeze(0) : model.call(input);

    public Tensor Replicate(Tensor input) => input.unsqueeze(0).detach().clone().requires_grad_();
}
