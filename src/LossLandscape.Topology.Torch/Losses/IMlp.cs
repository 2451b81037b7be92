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
    /// <see cref="InputDerivatives.Gradient"/>(outputs, replicated), which keeps the graph for the Hessian.
    /// </summary>
    Tensor Replicate(Tensor input);

    /// <summary>
    /// Evaluates every member and the derivative of its outputs along one direction in input space, by forward
    /// mode: no autograd graph with respect to the inputs is built. For a PINN with inputs (x, t), the direction
    /// (β, 1) gives u_t + β u_x directly.
    /// </summary>
    /// <param name="input">[N, in], the same inputs for every member.</param>
    /// <param name="direction">One entry per input feature.</param>
    /// <returns>Outputs and derivatives, each [B, N, out].</returns>
    /// <exception cref="ArgumentException">The direction's length is not the number of input features.</exception>
    /// <exception cref="NotSupportedException">An activation other than tanh, sigmoid, ReLU or identity.</exception>
    (Tensor Output, Tensor Derivative) ForwardWithDerivative(Tensor input, ReadOnlySpan<double> direction);
}
