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
    private readonly ParameterVectors _vectors;
    private Tensor[]? _retainedGradients;
    private bool _probed;
    private bool _retain = true;             // false once a forward pass was seen to move buffers
    private ModelStateSnapshot? _graphState; // the buffers the retained graph was made with

    /// <summary>Creates the operator for <paramref name="loss"/> at the model's current parameters.</summary>
    /// <exception cref="ArgumentException">The model has no parameter that requires grad.</exception>
    public HessianOperator(IHessianLossFunction loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        _loss = loss;
        _vectors = new ParameterVectors(loss.Model, "Hessian", nameof(loss));
    }

    /// <inheritdoc />
    public int Dimension => _vectors.Dimension;

    /// <summary>Hessian-vector products computed so far.</summary>
    public long ProductCount { get; private set; }

    /// <inheritdoc />
    public void Multiply(ReadOnlySpan<double> vector, Span<double> result)
    {
        _vectors.CheckLength(vector, nameof(vector), "Hessian");
        _vectors.CheckLength(result, nameof(result), "Hessian");
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
        _vectors.CheckFinite(result, $"Hessian-vector product {ProductCount}");
    }

    /// <summary>
    /// Differentiates the first loss term once with <c>backward()</c>, which reports a broken graph as a managed
    /// exception, before any <c>autograd.grad</c> call, which in TorchSharp aborts the whole process on the same error.
    /// The parameters' <c>.grad</c> fields are put back as they were.
    /// </summary>
    private void ProbeDifferentiable()
    {
        Tensor[] trainable = _vectors.Trainable();
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
            Tensor[] v = _vectors.Split(vector);
            if (_loss.IsSingleTerm && _retain)
            {
                bool first = _retainedGradients is null;
                if (!first && _graphState!.BuffersChanged())
                {
                    throw new InvalidOperationException(
                        "The model's buffers changed since this Hessian operator made its gradient graph (which holds them); create a new HessianOperator (or HessianAnalyzer) for the model as it is now.");
                }

                _vectors.Accumulate(Product(RetainedGradients(), v), 1, result);
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
                    _vectors.Accumulate(Product(gradients, v), term.Weight, result);
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

    /// <inheritdoc />
    public void Dispose()
    {
        DisposeRetained();
        _vectors.Dispose();
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
        Tensor[] inputs = _vectors.Trainable();
        if (!loss.requires_grad)
        {
            return ParameterVectors.ZerosLike(inputs); // a loss that does not depend on the parameters at all
        }

        // allow_unused: a parameter the loss does not touch has a zero gradient (libtorch would abort the process).
        return ParameterVectors.Defined(autograd.grad([loss], inputs, retain_graph: true, create_graph: true, allow_unused: true), inputs);
    }

    private Tensor[] Product(Tensor[] gradients, Tensor[] v)
    {
        // H·v as the vector-Jacobian product of ∇L with v (grad_outputs), as PyTorch users write it: no ⟨∇L, v⟩ graph
        // to build and walk back first. A loss linear in some parameters has gradients that are constants there (no
        // graph to differentiate): they are left out, and their Hessian rows are zero.
        var outputs = new List<Tensor>(gradients.Length);
        var weights = new List<Tensor>(gradients.Length);
        Tensor[] parts = _vectors.TrainableParts(v);
        for (int g = 0; g < gradients.Length; g++)
        {
            if (gradients[g].requires_grad)
            {
                outputs.Add(gradients[g]);
                weights.Add(parts[g]);
            }
        }

        Tensor[] inputs = _vectors.Trainable();
        return outputs.Count > 0
            ? ParameterVectors.Defined(autograd.grad(outputs, inputs, weights, retain_graph: true, allow_unused: true), inputs)
            : ParameterVectors.ZerosLike(inputs);
    }
}
