using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Losses;

/// <summary>Ways to hand the library the loss of a model.</summary>
public static class LossFunction
{
    /// <summary>A loss over the whole data set at once.</summary>
    /// <param name="model">The model.</param>
    /// <param name="loss">Computes the scalar loss from the model's current parameters.</param>
    /// <param name="requiresInputGradients">True when the loss differentiates with respect to inputs (PINN residuals).</param>
    public static LossFunction<FullBatch> FullBatch(nn.Module model, Func<Tensor> loss, bool requiresInputGradients = false)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return new LossFunction<FullBatch>(model, () => [Losses.FullBatch.Instance], _ => loss(), _ => 1, requiresInputGradients, [], singleTerm: true);
    }

    /// <summary>A loss averaged over a fixed list of mini-batches.</summary>
    /// <param name="model">The model.</param>
    /// <param name="batches">The batches; at least one.</param>
    /// <param name="loss">Computes one batch's scalar (mean) loss.</param>
    /// <param name="weight">A batch's weight (e.g. its size); equal weights when null.</param>
    /// <param name="requiresInputGradients">True when the loss differentiates with respect to inputs.</param>
    public static LossFunction<TBatch> MiniBatches<TBatch>(nn.Module model, IReadOnlyList<TBatch> batches, Func<TBatch, Tensor> loss, Func<TBatch, double>? weight = null, bool requiresInputGradients = false)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0)
        {
            throw new ArgumentException("At least one batch is needed.", nameof(batches));
        }

        return new LossFunction<TBatch>(model, () => batches, loss, weight ?? (_ => 1), requiresInputGradients, [], singleTerm: batches.Count == 1);
    }

    /// <summary>A loss averaged over the batches a data loader yields, enumerated afresh at every evaluation.</summary>
    /// <param name="model">The model.</param>
    /// <param name="loader">Returns the batches (e.g. a TorchSharp <c>DataLoader</c>); must yield the same data every time.</param>
    /// <param name="loss">Computes one batch's scalar (mean) loss.</param>
    /// <param name="weight">A batch's weight (e.g. its size); equal weights when null.</param>
    /// <param name="requiresInputGradients">True when the loss differentiates with respect to inputs.</param>
    public static LossFunction<TBatch> FromDataLoader<TBatch>(nn.Module model, Func<IEnumerable<TBatch>> loader, Func<TBatch, Tensor> loss, Func<TBatch, double>? weight = null, bool requiresInputGradients = false)
        => new(model, loader, loss, weight ?? (_ => 1), requiresInputGradients, [], singleTerm: false);
}

/// <summary>The batch type of a full-batch loss: there is one batch and it carries nothing.</summary>
public sealed class FullBatch
{
    private FullBatch()
    {
    }

    internal static FullBatch Instance { get; } = new();
}

/// <summary>A loss made of closures over a model and batches of data; see <see cref="LossFunction"/>.</summary>
/// <typeparam name="TBatch">What one batch is.</typeparam>
public sealed class LossFunction<TBatch> : IHessianLossFunction
{
    private readonly Func<IEnumerable<TBatch>> _batches;
    private readonly Func<TBatch, Tensor> _loss;
    private readonly Func<TBatch, double> _weight;
    private readonly (string Name, Func<TBatch, Tensor> Compute)[] _metrics;

    internal LossFunction(nn.Module model, Func<IEnumerable<TBatch>> batches, Func<TBatch, Tensor> loss, Func<TBatch, double> weight, bool requiresInputGradients, (string, Func<TBatch, Tensor>)[] metrics, bool singleTerm)
    {
        IsSingleTerm = singleTerm;
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(loss);
        Model = model;
        _batches = batches;
        _loss = loss;
        _weight = weight;
        RequiresInputGradients = requiresInputGradients;
        _metrics = metrics;
        MetricNames = metrics.Select(m => m.Item1).ToArray();
    }

    /// <inheritdoc />
    public nn.Module Model { get; }

    /// <inheritdoc />
    public bool RequiresInputGradients { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> MetricNames { get; }

    /// <inheritdoc />
    public bool IsSingleTerm { get; }

    /// <summary>The same loss recording one more metric, averaged over batches like the loss.</summary>
    /// <exception cref="ArgumentException">The name is empty or already used.</exception>
    public LossFunction<TBatch> WithMetric(string name, Func<TBatch, Tensor> metric)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(metric);
        if (MetricNames.Contains(name))
        {
            throw new ArgumentException($"A metric named '{name}' is already recorded.", nameof(name));
        }

        return new LossFunction<TBatch>(Model, _batches, _loss, _weight, RequiresInputGradients, [.. _metrics, (name, metric)], IsSingleTerm);
    }

    /// <inheritdoc />
    public double Evaluate(Span<double> metrics)
    {
        if (metrics.Length < _metrics.Length)
        {
            throw new ArgumentException($"Room for {metrics.Length} metrics; {_metrics.Length} are recorded.", nameof(metrics));
        }

        using var scope = NewDisposeScope();
        using var gradients = RequiresInputGradients ? enable_grad() : no_grad();
        metrics[.._metrics.Length].Clear();
        double total = 0;
        double weights = 0;
        foreach (TBatch batch in _batches())
        {
            double w = _weight(batch);
            total += w * _loss(batch).ToDouble();
            for (int m = 0; m < _metrics.Length; m++)
            {
                metrics[m] += w * _metrics[m].Compute(batch).ToDouble();
            }

            weights += w;
        }

        if (weights <= 0)
        {
            throw new InvalidOperationException("The loss saw no batch (or only batches of zero weight).");
        }

        for (int m = 0; m < _metrics.Length; m++)
        {
            metrics[m] /= weights;
        }

        return total / weights;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Streams: each batch is taken from the source when its term is reached, so a data loader's batches are never
    /// all held at once (the Hessian-vector product is done with a batch before it asks for the next).
    /// </remarks>
    public IEnumerable<LossTerm> EnumerateTerms()
    {
        foreach (TBatch batch in _batches())
        {
            yield return new LossTerm(() => _loss(batch), _weight(batch));
        }
    }
}

/// <summary>Full-batch conveniences.</summary>
public static class FullBatchLossExtensions
{
    /// <summary>The same loss recording one more metric computed on the whole data set.</summary>
    public static LossFunction<FullBatch> WithMetric(this LossFunction<FullBatch> loss, string name, Func<Tensor> metric)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(metric);
        return loss.WithMetric(name, _ => metric());
    }
}
