using System.Runtime.InteropServices;
using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Parameters;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>
/// Hessian-vector products of a loss with respect to its model's parameters, by double backward: H·v is the
/// gradient of ⟨∇L, v⟩. With one data batch, ∇L and its graph are computed once and reused by every product;
/// with several batches each product streams the batches (<see cref="IHessianLossFunction.EnumerateTerms"/>) and sums
/// their weighted products, so memory stays that of one batch: no batch is held between products or beside another.
/// Vectors are flat managed doubles in the model's parameter order; the work runs on the parameters' device.
/// </summary>
/// <remarks>
/// Dispose the operator to free the retained gradient graph. Parameters that do not require grad count as constants
/// (their rows and columns are zero). The loss runs in the mode the caller left the model in (<c>train()</c> or
/// <c>eval()</c>); buffers a forward pass updates (BatchNorm statistics) and training flags are put back after every
/// product, also when it throws. A product with a NaN or infinite entry throws <see cref="NotFiniteNumberException"/>
/// naming the product and the parameter, instead of poisoning every later number. Before the first product the
/// loss is differentiated once with <c>backward()</c>, so a graph that cannot be differentiated again (an input
/// derivative taken without <c>retain_graph</c>) is an <see cref="InvalidOperationException"/> that says how to fix
/// it, not an abort of the process. A single-batch loss whose forward pass moves buffers (train-mode BatchNorm) keeps
/// no graph between products: each product recomputes the gradient, since restoring buffers the graph holds would
/// invalidate it. With a kept graph, buffers changed by the caller between products are refused with an
/// <see cref="InvalidOperationException"/> (the graph would be stale, and libtorch would abort the process).
/// </remarks>
public sealed class HessianOperator : ISymmetricOperator, IDisposable
{
    private readonly IHessianLossFunction _loss;
    private readonly TorchSharp.Modules.Parameter[] _all;
    private readonly bool[] _trainable;
    private readonly long[] _offsets;
    private readonly string[] _names;
    private Tensor[]? _retainedGradients;
    private Tensor? _directionFlat;          // CPU, one dtype: the vector is written straight into its memory
    private Tensor[]? _directionParts;       // views of _directionFlat shaped like the parameters
    private bool _probed;
    private bool _retain = true;             // false once a forward pass was seen to move buffers
    private ModelStateSnapshot? _graphState; // the buffers the retained graph was made with

    /// <summary>Creates the operator for <paramref name="loss"/> at the model's current parameters.</summary>
    /// <exception cref="ArgumentException">The model has no parameter that requires grad.</exception>
    public HessianOperator(IHessianLossFunction loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        _loss = loss;
        _all = loss.Model.parameters().ToArray();
        _trainable = _all.Select(p => p.requires_grad).ToArray();
        if (!_trainable.Any(t => t))
        {
            throw new ArgumentException("No parameter of the model requires grad, so the Hessian is empty.", nameof(loss));
        }

        _offsets = new long[_all.Length + 1];
        for (int j = 0; j < _all.Length; j++)
        {
            _offsets[j + 1] = _offsets[j] + _all[j].numel();
        }

        Dimension = checked((int)_offsets[^1]);
        _names = loss.Model.named_parameters().Select(p => p.name).ToArray();
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>Hessian-vector products computed so far.</summary>
    public long ProductCount { get; private set; }

    /// <inheritdoc />
    public void Multiply(ReadOnlySpan<double> vector, Span<double> result)
    {
        CheckLength(vector, nameof(vector));
        CheckLength(result, nameof(result));
        result.Clear();
        using var lease = ModelLease.Acquire(_loss.Model, "a Hessian-vector product");

        // The state as it is now, not as it was when the operator was made: the caller may have changed it since.
        using var state = ModelStateSnapshot.CaptureBuffersAndModes(_loss.Model);
        try
        {
            MultiplyCore(vector, result, state);
        }
        finally
        {
            // A forward pass in train() mode moved the buffers (BatchNorm statistics): put them back.
            state.RestoreBuffers();
            state.RestoreModes();
        }

        ProductCount++;
        CheckFinite(result);
    }

    /// <summary>
    /// Differentiates the first loss term once with <c>backward()</c>, which reports a broken graph as a managed
    /// exception, before any <c>autograd.grad</c> call, which in TorchSharp aborts the whole process on the same error.
    /// The parameters' <c>.grad</c> fields are put back as they were.
    /// </summary>
    private void ProbeDifferentiable()
    {
        Tensor[] trainable = Trainable().ToArray();
        var saved = new Tensor?[trainable.Length];
        for (int i = 0; i < trainable.Length; i++)
        {
            saved[i] = trainable[i].grad is { } g ? g.detach().clone().DetachFromDisposeScope() : null;
            trainable[i].grad = null;
        }

        try
        {
            using var scope = NewDisposeScope();
            using var gradients = enable_grad();
            WithFirstTerm(term =>
            {
                Tensor loss = term.Compute();
                if (loss.requires_grad)
                {
                    loss.backward();
                }

                return 0;
            }, single: false);
        }
        catch (System.Runtime.InteropServices.ExternalException e) when (e.Message.Contains("backward through the graph a second time", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "The loss cannot be differentiated with respect to the parameters: its graph was freed while it was built. A derivative with respect to the inputs (a PINN residual) needs retain_graph: true as well as create_graph: true in TorchSharp, which does not default one to the other as PyTorch does; use InputDerivatives.Gradient, which passes both.",
                e);
        }
        finally
        {
            for (int i = 0; i < trainable.Length; i++)
            {
                trainable[i].grad?.Dispose();
                trainable[i].grad = saved[i];
            }
        }
    }

    private void MultiplyCore(ReadOnlySpan<double> vector, Span<double> result, ModelStateSnapshot state)
    {
        if (!_probed)
        {
            ProbeDifferentiable();
            _probed = true;
        }

        using (NewDisposeScope())
        using (enable_grad())
        {
            Tensor[] v = Split(vector);
            if (_loss.IsSingleTerm && _retain)
            {
                bool first = _retainedGradients is null;
                if (!first && _graphState!.BuffersChanged())
                {
                    throw new InvalidOperationException(
                        "The model's buffers changed since this Hessian operator made its gradient graph (which holds them); create a new HessianOperator (or HessianAnalyzer) for the model as it is now.");
                }

                Accumulate(Product(RetainedGradients(), v), 1, result);
                if (first && state.BuffersChanged())
                {
                    // The forward pass moved buffers (BatchNorm in train mode): the graph holds them, and putting them
                    // back would invalidate it. From now on each product recomputes the gradient and the buffers are
                    // restored after it, at the cost of one forward and backward pass per product.
                    _retain = false;
                    DisposeRetained();
                }
                else if (first)
                {
                    _graphState = ModelStateSnapshot.CaptureBuffersAndModes(_loss.Model);
                }
            }
            else
            {
                // One batch at a time: its graph and tensors go with its scope before the next batch is asked for.
                double total = 0;
                int count = 0;
                foreach (LossTerm term in _loss.EnumerateTerms())
                {
                    count++;
                    if (!(term.Weight > 0) || !double.IsFinite(term.Weight))
                    {
                        throw new InvalidOperationException($"Loss term {count} has the weight {term.Weight}; a term's weight must be positive and finite.");
                    }

                    using var batchScope = NewDisposeScope();
                    Tensor[] gradients = Gradients(term.Compute());
                    Accumulate(Product(gradients, v), term.Weight, result);
                    total += term.Weight;
                }

                if (count == 0)
                {
                    throw new InvalidOperationException("The loss produced no term (its data source yielded no batch).");
                }

                System.Numerics.Tensors.TensorPrimitives.Multiply(result, 1 / total, result);
            }
        }
    }

    /// <summary>
    /// Uses the loss's first term while its batch is current (a data loader may free a batch once the enumeration moves
    /// on); for a single-term loss a second term is refused.
    /// </summary>
    private T WithFirstTerm<T>(Func<LossTerm, T> use, bool single)
    {
        using IEnumerator<LossTerm> terms = _loss.EnumerateTerms().GetEnumerator();
        if (!terms.MoveNext())
        {
            throw new InvalidOperationException("The loss produced no term (its data source yielded no batch).");
        }

        T result = use(terms.Current);
        if (single && terms.MoveNext())
        {
            throw new InvalidOperationException("The loss says it is a single term (IsSingleTerm) but produced a second one.");
        }

        return result;
    }

    private void CheckLength(ReadOnlySpan<double> v, string name)
    {
        if (v.Length != Dimension)
        {
            throw new ArgumentException($"The vector has {v.Length} entries; the Hessian's dimension is {Dimension}.", name);
        }
    }

    private void CheckFinite(ReadOnlySpan<double> result)
    {
        for (int i = 0; i < result.Length; i++)
        {
            if (!double.IsFinite(result[i]))
            {
                int j = Array.FindLastIndex(_offsets, o => o <= i);
                throw new NotFiniteNumberException(
                    $"Hessian-vector product {ProductCount} is {result[i]} at entry {i} (parameter '{_names[j]}', element {i - _offsets[j]}): the loss or its gradient is not finite at the model's parameters.",
                    result[i]);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        DisposeRetained();
        foreach (Tensor part in _directionParts ?? [])
        {
            part.Dispose();
        }

        _directionFlat?.Dispose();
        _directionParts = null;
        _directionFlat = null;
        _graphState?.Dispose();
        _graphState = null;
    }

    private void DisposeRetained()
    {
        foreach (Tensor g in _retainedGradients ?? [])
        {
            g.Dispose(); // the last references to the retained graph
        }

        _retainedGradients = null;
    }


    private Tensor[] RetainedGradients()
    {
        if (_retainedGradients is null)
        {
            // ∇L and its graph, computed once: every product walks that graph. The gradients leave the scope so
            // they (and through them the graph) live until Dispose; the loss's own tensors go with the scope.
            using var scope = NewDisposeScope();
            using var gradients = enable_grad();
            _retainedGradients = WithFirstTerm(term => Gradients(term.Compute()), single: true);
            foreach (Tensor g in _retainedGradients)
            {
                g.DetachFromDisposeScope();
            }
        }

        return _retainedGradients;
    }

    private Tensor[] Gradients(Tensor loss)
    {
        Tensor[] inputs = Trainable().ToArray();
        if (!loss.requires_grad)
        {
            return ZerosLike(inputs); // a loss that does not depend on the parameters at all
        }

        // allow_unused: a parameter the loss does not touch has a zero gradient (libtorch would abort the process).
        return Defined(autograd.grad([loss], inputs, retain_graph: true, create_graph: true, allow_unused: true), inputs);
    }

    private static Tensor[] ZerosLike(Tensor[] like) => like.Select(t => zeros_like(t)).ToArray();

    private static Tensor[] Defined(IList<Tensor> gradients, Tensor[] like)
    {
        var result = new Tensor[like.Length];
        for (int i = 0; i < like.Length; i++)
        {
            Tensor? g = i < gradients.Count ? gradients[i] : null;
            result[i] = g is null || g.IsInvalid ? zeros_like(like[i]) : g;
        }

        return result;
    }

    private Tensor[] Product(Tensor[] gradients, Tensor[] v)
    {
        // H·v as the vector-Jacobian product of ∇L with v (grad_outputs), as PyTorch users write it: no ⟨∇L, v⟩ graph
        // to build and walk back first. A loss linear in some parameters has gradients that are constants there (no
        // graph to differentiate): they are left out, and their Hessian rows are zero.
        var outputs = new List<Tensor>(gradients.Length);
        var weights = new List<Tensor>(gradients.Length);
        int g = 0;
        for (int j = 0; j < _all.Length; j++)
        {
            if (_trainable[j])
            {
                if (gradients[g].requires_grad)
                {
                    outputs.Add(gradients[g]);
                    weights.Add(v[j]);
                }

                g++;
            }
        }

        Tensor[] inputs = Trainable().ToArray();
        return outputs.Count > 0
            ? Defined(autograd.grad(outputs, inputs, weights, retain_graph: true, allow_unused: true), inputs)
            : ZerosLike(inputs);
    }

    private IEnumerable<Tensor> Trainable() => _all.Where((_, j) => _trainable[j]);

    /// <summary>
    /// Whether vectors go straight between managed memory and the tensors' memory: every parameter on the CPU in one
    /// floating-point type. A product on a small model costs a millisecond, and a native tensor per parameter each way
    /// was a third of that; elsewhere (another device, mixed types) tensors are made and copied as usual.
    /// </summary>
    private bool IsHostContiguous => _all.All(p => p.device_type == DeviceType.CPU && p.dtype == _all[0].dtype)
        && _all[0].dtype is ScalarType.Float64 or ScalarType.Float32;

    private Tensor[] Split(ReadOnlySpan<double> vector)
    {
        if (IsHostContiguous)
        {
            if (_directionFlat is null)
            {
                using (no_grad())
                {
                    _directionFlat = zeros(Dimension, dtype: _all[0].dtype).DetachFromDisposeScope();
                    _directionParts = new Tensor[_all.Length];
                    for (int j = 0; j < _all.Length; j++)
                    {
                        _directionParts[j] = _directionFlat.narrow(0, _offsets[j], _offsets[j + 1] - _offsets[j]).view(_all[j].shape).DetachFromDisposeScope();
                    }
                }
            }

            WriteHost(_directionFlat, vector);
            return _directionParts!;
        }

        var parts = new Tensor[_all.Length];
        for (int j = 0; j < _all.Length; j++)
        {
            double[] part = vector[(int)_offsets[j]..(int)_offsets[j + 1]].ToArray();
            parts[j] = tensor(part, _all[j].shape, dtype: _all[j].dtype, device: _all[j].device);
        }

        return parts;
    }

    // A contiguous CPU tensor's bytes are its memory: written and read in place, without a copy.
    private static void WriteHost(Tensor target, ReadOnlySpan<double> values)
    {
        if (target.dtype == ScalarType.Float64)
        {
            values.CopyTo(MemoryMarshal.Cast<byte, double>(target.bytes));
        }
        else
        {
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(values, MemoryMarshal.Cast<byte, float>(target.bytes));
        }
    }

    private static void AddHost(Tensor source, double weight, Span<double> target)
    {
        if (source.dtype == ScalarType.Float64)
        {
            ReadOnlySpan<double> host = MemoryMarshal.Cast<byte, double>(source.bytes);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(host, weight, target, target);
        }
        else
        {
            ReadOnlySpan<float> host = MemoryMarshal.Cast<byte, float>(source.bytes);
            for (int i = 0; i < target.Length; i++)
            {
                target[i] += weight * host[i];
            }
        }
    }

    private void Accumulate(Tensor[] products, double weight, Span<double> result)
    {
        bool host = IsHostContiguous;
        int g = 0;
        for (int j = 0; j < _all.Length; j++)
        {
            if (!_trainable[j])
            {
                continue;
            }

            Tensor product = products[g++];
            Span<double> target = result[(int)_offsets[j]..(int)_offsets[j + 1]];
            if (host && product.is_contiguous() && product.dtype == _all[0].dtype && product.device_type == DeviceType.CPU)
            {
                AddHost(product, weight, target);
            }
            else
            {
                double[] copy = product.detach().to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(copy, weight, target, target);
            }
        }
    }
}
