using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Torch.Parameters;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>
/// Products with the two curvature matrices that a loss split at the model's output defines (Martens 2020, "New
/// insights and perspectives on the natural gradient method"; curvlinops' GGN and EF operators), made by
/// <see cref="GaussNewton"/> and <see cref="EmpiricalFisher"/>. Both are positive semi-definite, unlike the Hessian.
/// </summary>
/// <remarks>
/// Vectors are flat managed doubles in the model's parameter order (as for <see cref="HessianOperator"/>); parameters
/// that do not require grad count as constants. J·v is a double vector-Jacobian product: with a dummy u, g(u) = Jᵀu
/// is linear in u and J·v is its vector-Jacobian product with v, so one product costs a forward pass and three
/// backward passes on the parameters' device. Each product runs its own forward pass (no graph is kept between
/// products, so a train-mode BatchNorm is handled as a Hessian product handles it) under the model's lease; the
/// model's parameters, buffers and training flags are the same after every product, bit for bit, also when it throws.
/// The inputs and targets stay the caller's and must outlive the operator. Pass it to <see cref="SpectralAnalyzer"/>
/// for eigenpairs, traces and densities.
/// </remarks>
public sealed class OutputCurvatureOperator : ISymmetricOperator, IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly Tensor _inputs;
    private readonly Tensor _targets;
    private readonly OutputLoss _loss;
    private readonly bool _fisher;
    private readonly string _what;
    private readonly ParameterVectors _vectors;

    private OutputCurvatureOperator(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets, OutputLoss loss, bool fisher)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (!Enum.IsDefined(loss))
        {
            throw new ArgumentOutOfRangeException(nameof(loss), loss, "The loss is not an OutputLoss.");
        }

        if (inputs.dim() == 0 || inputs.shape[0] == 0)
        {
            throw new ArgumentException($"The inputs (shape [{string.Join(", ", inputs.shape)}]) hold no sample: the first dimension counts the samples.", nameof(inputs));
        }

        if (targets.dim() == 0 || targets.shape[0] != inputs.shape[0])
        {
            throw new ArgumentException($"The targets (shape [{string.Join(", ", targets.shape)}]) do not hold one entry per input sample ({inputs.shape[0]}).", nameof(targets));
        }

        if (loss == OutputLoss.CrossEntropy && (targets.dtype != ScalarType.Int64 || targets.dim() != 1))
        {
            throw new ArgumentException($"Cross-entropy targets are N class indices of type Int64; these are {targets.dtype} shaped [{string.Join(", ", targets.shape)}].", nameof(targets));
        }

        _model = model;
        _inputs = inputs;
        _targets = targets;
        _loss = loss;
        _fisher = fisher;
        _what = fisher ? "empirical Fisher" : "Gauss–Newton matrix";
        _vectors = new ParameterVectors(model, _what, nameof(model));
    }

    /// <summary>
    /// The generalised Gauss–Newton matrix G = Jᵀ H J at the model's current parameters: J is the Jacobian of the
    /// outputs with respect to the parameters and H the Hessian of the loss with respect to the outputs (2/(NC)·I for
    /// <see cref="OutputLoss.MeanSquaredError"/>, (diag(p) − ppᵀ)/N per sample for <see cref="OutputLoss.CrossEntropy"/>,
    /// p the softmax). It equals the Hessian where the model is linear in its parameters or the residuals vanish.
    /// </summary>
    /// <param name="model">The model; its output on <paramref name="inputs"/> is what <paramref name="loss"/> takes.</param>
    /// <param name="inputs">N samples, the first dimension counting them.</param>
    /// <param name="targets">For <see cref="OutputLoss.MeanSquaredError"/>, shaped like the output; for <see cref="OutputLoss.CrossEntropy"/>, N class indices (Int64).</param>
    /// <param name="loss">The loss of the output.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">No sample, targets that do not fit the inputs or the loss, or no parameter that requires grad.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="loss"/> is not an <see cref="OutputLoss"/>.</exception>
    public static OutputCurvatureOperator GaussNewton(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets, OutputLoss loss)
        => new(model, inputs, targets, loss, fisher: false);

    /// <summary>
    /// The empirical Fisher F = (1/N) Σₙ ∇ℓₙ ∇ℓₙᵀ at the model's current parameters, for the loss L = (1/N) Σₙ ℓₙ with
    /// ℓₙ sample n's loss (for <see cref="OutputLoss.MeanSquaredError"/> the mean of its C squared errors): the "Fisher"
    /// of many optimisers, not the true Fisher (an expectation over the model's predictive distribution). A product is
    /// Jℓᵀ(Jℓ·v)/N with Jℓ the Jacobian of the N sample losses.
    /// </summary>
    /// <inheritdoc cref="GaussNewton" path="/param"/>
    /// <inheritdoc cref="GaussNewton" path="/exception"/>
    public static OutputCurvatureOperator EmpiricalFisher(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets, OutputLoss loss)
        => new(model, inputs, targets, loss, fisher: true);

    /// <summary>Whether this is the empirical Fisher (else the Gauss–Newton matrix).</summary>
    public bool IsEmpiricalFisher => _fisher;

    /// <inheritdoc />
    public int Dimension => _vectors.Dimension;

    /// <summary>Products computed so far.</summary>
    public long ProductCount { get; private set; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The model's output does not fit the targets, or another thread is using the model.</exception>
    /// <exception cref="NotFiniteNumberException">The product has a NaN or infinite entry (named with its parameter).</exception>
    public void Multiply(ReadOnlySpan<double> vector, Span<double> result)
    {
        _vectors.CheckLength(vector, nameof(vector), _what);
        _vectors.CheckLength(result, nameof(result), _what);
        result.Clear();
        using var lease = ModelLease.Acquire(_model, $"a product with the {_what}");
        using var state = ModelStateSnapshot.CaptureBuffersAndModes(_model);
        try
        {
            using var scope = NewDisposeScope();
            using var gradients = enable_grad();
            Tensor[] v = _vectors.TrainableParts(_vectors.Split(vector));
            Tensor output = _model.call(_inputs);
            CheckOutput(output);
            long samples = _inputs.shape[0];
            Tensor[] product;
            if (_fisher)
            {
                Tensor sampleLosses = SampleLosses(output);
                Tensor jv = JacobianProduct(sampleLosses, v);
                product = TransposedProduct(sampleLosses, jv / samples);
            }
            else
            {
                Tensor jv = JacobianProduct(output, v);
                product = TransposedProduct(output, OutputHessianProduct(output.detach(), jv));
            }

            _vectors.Accumulate(product, 1, result);
        }
        finally
        {
            state.RestoreBuffers();
            state.RestoreModes();
        }

        ProductCount++;
        _vectors.CheckFinite(result, $"Product {ProductCount} with the {_what}");
    }

    private void CheckOutput(Tensor output)
    {
        bool fits = _loss == OutputLoss.MeanSquaredError
            ? output.shape.SequenceEqual(_targets.shape)
            : output.dim() == 2 && output.shape[0] == _targets.shape[0];
        if (!fits)
        {
            string expected = _loss == OutputLoss.MeanSquaredError
                ? $"the targets' shape [{string.Join(", ", _targets.shape)}]"
                : $"[{_targets.shape[0]}, classes] logits";
            throw new InvalidOperationException($"The model's output has the shape [{string.Join(", ", output.shape)}]; {_loss} needs {expected}.");
        }
    }

    /// <summary>ℓₙ, one per sample, so that the loss is their mean.</summary>
    private Tensor SampleLosses(Tensor output) => _loss == OutputLoss.MeanSquaredError
        ? (output - _targets).square().reshape(output.shape[0], -1).mean([1])
        : nn.functional.cross_entropy(output, _targets, reduction: nn.Reduction.None);

    /// <summary>H·w for the Hessian H of the mean loss with respect to the outputs.</summary>
    private Tensor OutputHessianProduct(Tensor output, Tensor w)
    {
        if (_loss == OutputLoss.MeanSquaredError)
        {
            return w * (2.0 / output.numel()); // ∂²/∂f² of mean((f − y)²) = 2/(NC) · I
        }

        // Per sample, (diag(p) − ppᵀ)/N with p the softmax of the logits.
        Tensor p = nn.functional.softmax(output, 1);
        Tensor pw = p * w;
        return (pw - p * pw.sum(1, keepdim: true)) / output.shape[0];
    }

    /// <summary>J·v: the output's directional derivative along the parameter vector v.</summary>
    private Tensor JacobianProduct(Tensor output, Tensor[] v)
    {
        if (!output.requires_grad)
        {
            return zeros_like(output); // the output does not depend on the parameters
        }

        Tensor[] inputs = _vectors.Trainable();
        Tensor u = zeros_like(output).requires_grad_(true);
        IList<Tensor> transposed = autograd.grad([output], inputs, [u], retain_graph: true, create_graph: true, allow_unused: true);
        var linear = new List<Tensor>();
        var weights = new List<Tensor>();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (i < transposed.Count && transposed[i] is { IsInvalid: false } g && g.requires_grad)
            {
                linear.Add(g);
                weights.Add(v[i]);
            }
        }

        if (linear.Count == 0)
        {
            return zeros_like(output);
        }

        IList<Tensor> jv = autograd.grad(linear, [u], weights, retain_graph: true, allow_unused: true);
        return jv.Count > 0 && jv[0] is { IsInvalid: false } r ? r : zeros_like(output);
    }

    /// <summary>Jᵀ·w, per trainable parameter.</summary>
    private Tensor[] TransposedProduct(Tensor output, Tensor w)
    {
        Tensor[] inputs = _vectors.Trainable();
        return output.requires_grad
            ? ParameterVectors.Defined(autograd.grad([output], inputs, [w], retain_graph: true, allow_unused: true), inputs)
            : ParameterVectors.ZerosLike(inputs);
    }

    /// <summary>Frees the vector buffer.</summary>
    public void Dispose() => _vectors.Dispose();
}
