namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>
/// A standard loss of a model's output, the second half of a loss L(θ) = ℓ(f(x; θ), y) that the Gauss–Newton and
/// empirical-Fisher operators split at the output. Both are averaged over the N samples, as PyTorch's
/// <c>reduction='mean'</c> does.
/// </summary>
public enum OutputLoss
{
    /// <summary>
    /// <c>mse_loss</c>: the mean of (f − y)² over every element of the output (N × C), targets shaped like the output.
    /// Sample n's loss is the mean over its C elements, so L is the mean of the N sample losses.
    /// </summary>
    MeanSquaredError,

    /// <summary>
    /// <c>cross_entropy</c> of logits: outputs N × C, targets N class indices (int64) in [0, C); the mean over samples of
    /// −log softmax(f)[y].
    /// </summary>
    CrossEntropy,
}
