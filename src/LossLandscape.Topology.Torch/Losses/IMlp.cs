using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Losses;

/// <summary>
/// B members of the same multilayer perceptron with different parameters, evaluated together. A loss written
/// against this interface runs unchanged on the model itself (B = 1) and on a batch of perturbed parameter
/// vectors.
/// </summary>
public interface IMlp
{
    /// <summary>The number of members B.</summary>
    int MemberCount { get; }

    /// <summary>Evaluates every member.</summary>
    /// <param name="input">[N, in] (the same inputs for every member) or [B, N, in].</param>
    /// <returns>[B, N, out].</returns>
    Tensor Forward(Tensor input);

    /// <summary>
    /// The inputs repeated for every member, [B, N, in], as a new leaf that requires grad: differentiate each
    /// member's outputs with respect to its own copy (e.g. u_x for a PINN residual) by
    /// <c>autograd.grad(outputs.sum(), replicated)</c>.
    /// </summary>
    Tensor Replicate(Tensor input);
}
