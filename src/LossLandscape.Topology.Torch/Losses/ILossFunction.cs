using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Losses;

/// <summary>
/// "The loss of this model": a closure over a model and its data that the library evaluates at whatever
/// parameters the model currently holds.
/// </summary>
public interface ILossFunction
{
    /// <summary>The model whose parameters are perturbed.</summary>
    nn.Module Model { get; }

    /// <summary>
    /// True when evaluating needs gradients with respect to the inputs (a PINN's residual); then the loss is
    /// evaluated with autograd enabled. Otherwise (a classifier's loss) it runs under <c>no_grad</c>.
    /// </summary>
    bool RequiresInputGradients { get; }

    /// <summary>Names of the extra per-point metrics (e.g. <c>accuracy</c>) recorded beside the loss.</summary>
    IReadOnlyList<string> MetricNames { get; }

    /// <summary>Evaluates the loss at the model's current parameters and writes the metrics.</summary>
    /// <param name="metrics">One entry per <see cref="MetricNames"/>.</param>
    /// <returns>The loss (batches averaged with their weights).</returns>
    double Evaluate(Span<double> metrics);

    /// <summary>
    /// The loss as weighted terms, one per data batch, whose weights add up to 1 (for Hessian-vector products:
    /// each term's tensor keeps its autograd graph). Tensors a term returns belong to the caller's dispose scope.
    /// </summary>
    IEnumerable<LossTerm> EnumerateTerms();
}

/// <summary>One batch's share of a loss.</summary>
/// <param name="Compute">Computes the batch's scalar loss with autograd enabled.</param>
/// <param name="Weight">The batch's weight; the weights of a loss add up to 1.</param>
public readonly record struct LossTerm(Func<Tensor> Compute, double Weight);

/// <summary>
/// A loss that can also be evaluated for B parameter vectors at once (e.g. an MLP through batched matrix
/// products); the sampler then feeds it B points per call instead of perturbing the model B times.
/// </summary>
public interface IBatchedLossFunction : ILossFunction
{
    /// <summary>How many parameter vectors one call should take (memory grows with it).</summary>
    int PreferredBatchSize { get; }

    /// <summary>Evaluates the loss for B parameter vectors.</summary>
    /// <param name="parameters">One tensor per model parameter, in <c>named_parameters()</c> order, shaped [B, …parameter shape].</param>
    /// <param name="losses">B losses.</param>
    /// <param name="metrics">B rows of <see cref="ILossFunction.MetricNames"/>.Count metrics.</param>
    void EvaluateBatch(IReadOnlyList<Tensor> parameters, Span<double> losses, Span<double> metrics);
}
