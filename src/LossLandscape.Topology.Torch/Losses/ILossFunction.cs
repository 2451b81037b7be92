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

}

/// <summary>
/// A loss whose Hessian the library can take: besides evaluating it, it produces its batches' terms one at a time,
/// each with its autograd graph, so that a Hessian-vector product holds one batch at a time.
/// </summary>
public interface IHessianLossFunction : ILossFunction
{
    /// <summary>
    /// True when the loss is a single term (a full batch): the Hessian operator then computes ∇L and its graph once
    /// and reuses them for every product. Otherwise every product runs through <see cref="EnumerateTerms"/> afresh.
    /// </summary>
    bool IsSingleTerm { get; }

    /// <summary>
    /// The loss as weighted terms, one per data batch, produced lazily: a data loader's batch is loaded when its
    /// term is reached, and the caller is done with it before asking for the next. The weights are relative (e.g.
    /// batch sizes); the Hessian divides by their sum. Tensors a term returns belong to the caller's dispose scope.
    /// </summary>
    IEnumerable<LossTerm> EnumerateTerms();
}

/// <summary>One batch's share of a loss.</summary>
/// <param name="Compute">Computes the batch's scalar loss with autograd enabled.</param>
/// <param name="Weight">The batch's relative weight (positive; e.g. its size).</param>
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

    /// <summary>
    /// Called once before a run of <see cref="EvaluateBatch"/> calls (a sampling run, or one shard of it); the run ends
    /// when the returned scope is disposed, also after an exception or a cancellation. The loss sets up what its
    /// batches need for the run's duration (a thread budget, scratch memory) and undoes it on dispose; nothing it
    /// sets may outlive the scope.
    /// </summary>
    IDisposable BeginRun();
}
