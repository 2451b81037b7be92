using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Losses;

/// <summary>
/// Derivatives of a model's outputs with respect to its inputs, for losses such as a PINN's residual, written so
/// that the library can differentiate the loss again (Hessian-vector products).
/// </summary>
/// <remarks>
/// TorchSharp's <c>autograd.grad</c> does not default <c>retain_graph</c> to <c>create_graph</c> as PyTorch does: a
/// loss ported literally from PyTorch (<c>autograd.grad(u.sum(), x, create_graph: true)</c>) samples fine and then
/// aborts the whole process when the Hessian differentiates it again ("Trying to backward through the graph a
/// second time"). These helpers always pass both.
/// </remarks>
public static class InputDerivatives
{
    /// <summary>∂(Σ outputs)/∂input, shaped like <paramref name="input"/>, differentiable again.</summary>
    /// <param name="outputs">The model's outputs, computed from <paramref name="input"/>.</param>
    /// <param name="input">An input tensor with <c>requires_grad</c> set.</param>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not require grad, or the outputs do not depend on it.</exception>
    public static Tensor Gradient(Tensor outputs, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(input);
        if (!input.requires_grad)
        {
            throw new ArgumentException("The input must require grad (input.requires_grad_(true)) before the model is called.", nameof(input));
        }

        if (!outputs.requires_grad)
        {
            throw new ArgumentException("The outputs do not depend on the input through autograd (was the model called under no_grad?).", nameof(outputs));
        }

        return autograd.grad([outputs.sum()], [input], retain_graph: true, create_graph: true)[0];
    }

    /// <summary>The derivative of the outputs along one input column: column <paramref name="column"/> of <see cref="Gradient"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is not a column of the input.</exception>
    public static Tensor Partial(Tensor outputs, Tensor input, int column)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 2 || column < 0 || column >= input.shape[1])
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"The input has shape [{string.Join(", ", input.shape)}]; give a column of a 2-D input.");
        }

        return Gradient(outputs, input)[TensorIndex.Colon, TensorIndex.Slice(column, column + 1)];
    }
}
