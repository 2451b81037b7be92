using LossLandscape.Topology.Torch.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Losses;

/// <summary>
/// The loss of a <c>Sequential</c> MLP (Linear layers and elementwise activations), written once against
/// <see cref="IMlp"/> and evaluated either on the model (one point at a time) or on B perturbed parameter
/// vectors at once (the library's CPU kernels, or libtorch's batched matrix products; see
/// <see cref="UsesCpuKernels"/>): the landscape sampler uses the batched path.
/// </summary>
/// <example>
/// Mean squared error of a regression MLP:
/// <code>
/// var loss = new MlpLossFunction(model, mlp => (mlp.Forward(x) - y).square().mean([1, 2]));
/// </code>
/// </example>
public sealed class MlpLossFunction : IBatchedLossFunction, IHessianLossFunction
{
    private readonly MlpStructure _structure;
    private readonly Func<IMlp, Tensor> _loss;
    private readonly (string Name, Func<IMlp, Tensor> Compute)[] _metrics;
    private readonly CpuMlp? _kernels;
    private readonly bool _allowKernels;

    /// <summary>Creates the loss.</summary>
    /// <param name="model">A Sequential of Linear layers and parameter-free elementwise modules.</param>
    /// <param name="lossPerMember">Returns one loss per member, shape [B].</param>
    /// <param name="requiresInputGradients">True when the loss differentiates with respect to inputs (use <see cref="IMlp.Replicate"/>).</param>
    /// <param name="preferredBatchSize">Parameter vectors per batched call.</param>
    /// <exception cref="ArgumentException">The model is not such an MLP; the message names the offending layer.</exception>
    public MlpLossFunction(nn.Module<Tensor, Tensor> model, Func<IMlp, Tensor> lossPerMember, bool requiresInputGradients = false, int preferredBatchSize = 64)
        : this(model, MlpStructure.Of(model), lossPerMember, requiresInputGradients, preferredBatchSize, [], true)
    {
    }

    private MlpLossFunction(nn.Module<Tensor, Tensor> model, MlpStructure structure, Func<IMlp, Tensor> loss, bool requiresInputGradients, int preferredBatchSize, (string, Func<IMlp, Tensor>)[] metrics, bool useCpuKernels)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentOutOfRangeException.ThrowIfLessThan(preferredBatchSize, 1);
        Model = model;
        _structure = structure;
        _loss = loss;
        RequiresInputGradients = requiresInputGradients;
        PreferredBatchSize = preferredBatchSize;
        _metrics = metrics;
        MetricNames = metrics.Select(m => m.Item1).ToArray();
        _allowKernels = useCpuKernels;
        _kernels = useCpuKernels ? CpuMlp.TryCreate(structure, model.parameters().ToArray()) : null;
    }

    /// <inheritdoc />
    public nn.Module Model { get; }

    /// <inheritdoc />
    public bool RequiresInputGradients { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> MetricNames { get; }

    /// <inheritdoc />
    public int PreferredBatchSize { get; }

    /// <summary>
    /// True when batched evaluation of this loss runs on the library's CPU kernels on this machine, now: they are
    /// allowed (the default; see <see cref="WithCpuKernels"/>), they take every layer (tanh, sigmoid, ReLU or identity
    /// after each Linear), the CPU accelerates vectors (every x64 and ARM64 CPU does: the kernels run at the widest of 512,
    /// 256 and 128 bits it has), and the parameters are
    /// float32 or float64 on the CPU. The loss must also build no autograd graph through the outputs (inputs that
    /// require grad under autograd, as for <see cref="IMlp.Replicate"/>, take the libtorch path for that call).
    /// Otherwise libtorch's batched matrix products run, on any device.
    /// </summary>
    public bool UsesCpuKernels => _kernels is not null && Model.parameters().All(p =>
        p.device_type == DeviceType.CPU && (p.dtype == ScalarType.Float32 || p.dtype == ScalarType.Float64));

    /// <summary>The same loss recording one more metric (one value per member, shape [B]).</summary>
    public MlpLossFunction WithMetric(string name, Func<IMlp, Tensor> metricPerMember)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(metricPerMember);
        if (MetricNames.Contains(name))
        {
            throw new ArgumentException($"A metric named '{name}' is already recorded.", nameof(name));
        }

        return new MlpLossFunction((nn.Module<Tensor, Tensor>)Model, _structure, _loss, RequiresInputGradients, PreferredBatchSize, [.. _metrics, (name, metricPerMember)], UsesCpuKernels);
    }

    /// <summary>The same loss with another batch size.</summary>
    public MlpLossFunction WithBatchSize(int preferredBatchSize)
        => new((nn.Module<Tensor, Tensor>)Model, _structure, _loss, RequiresInputGradients, preferredBatchSize, _metrics, _allowKernels);

    /// <summary>True when the CPU kernels are allowed and take this model's layers.</summary>
    internal bool HasCpuKernels => _kernels is not null;

    /// <inheritdoc />
    /// <remarks>
    /// When the kernels will evaluate the batches (they take the layers and the model is on the CPU), the run's scope
    /// hands libtorch's threads to the kernels until it is disposed; see <c>docs/conventions.md</c>, "Threads".
    /// </remarks>
    public IDisposable BeginRun()
        => _kernels is not null && Model.parameters().All(p => p.device_type == DeviceType.CPU) ? CpuMlp.TakeOverThreads() : CpuMlp.NoRunScope;

    /// <summary>The same loss with the library's CPU kernels allowed or not (see <see cref="UsesCpuKernels"/>).</summary>
    public MlpLossFunction WithCpuKernels(bool useCpuKernels)
        => new((nn.Module<Tensor, Tensor>)Model, _structure, _loss, RequiresInputGradients, PreferredBatchSize, _metrics, useCpuKernels);

    /// <inheritdoc />
    public double Evaluate(Span<double> metrics)
    {
        Span<double> loss = stackalloc double[1];
        using var scope = NewDisposeScope();
        using var gradients = RequiresInputGradients ? enable_grad() : no_grad();
        Run(new ModelMlp((nn.Module<Tensor, Tensor>)Model, _structure), loss, metrics);
        return loss[0];
    }

    /// <inheritdoc />
    public void EvaluateBatch(IReadOnlyList<Tensor> parameters, Span<double> losses, Span<double> metrics)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = NewDisposeScope();
        using var gradients = RequiresInputGradients ? enable_grad() : no_grad();
        Run(new BatchedMlp(_structure, parameters, _kernels), losses, metrics);
    }

    /// <inheritdoc />
    public bool IsSingleTerm => true;

    /// <inheritdoc />
    public IEnumerable<LossTerm> EnumerateTerms()
    {
        yield return new LossTerm(() => _loss(new ModelMlp((nn.Module<Tensor, Tensor>)Model, _structure)).sum(), 1);
    }

    private void Run(IMlp mlp, Span<double> losses, Span<double> metrics)
    {
        int b = mlp.MemberCount;
        if (losses.Length < b || metrics.Length < b * _metrics.Length)
        {
            throw new ArgumentException($"Room for {losses.Length} losses and {metrics.Length} metrics; {b} members with {_metrics.Length} metric(s) each need more.", nameof(losses));
        }

        CopyOut(_loss(mlp), b, losses, 1, 0, "loss");
        for (int m = 0; m < _metrics.Length; m++)
        {
            CopyOut(_metrics[m].Compute(mlp), b, metrics, _metrics.Length, m, _metrics[m].Name);
        }
    }

    private static void CopyOut(Tensor values, int members, Span<double> destination, int stride, int offset, string what)
    {
        if (values.numel() != members)
        {
            throw new InvalidOperationException($"The {what} function returned {values.numel()} values for {members} members; it must return one per member (shape [B]).");
        }

        double[] host = values.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        for (int i = 0; i < members; i++)
        {
            destination[(i * stride) + offset] = host[i];
        }
    }
}
