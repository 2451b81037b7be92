using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Parameters;

/// <summary>
/// Exclusive use of a model by one thread while the library perturbs or evaluates it. Sampling overwrites the
/// parameters in place and the Hessian runs forward passes, so two runs on one model from two threads would read
/// each other's perturbations and return wrong values without any error; the second one is refused instead.
/// The same thread may nest runs (a Hessian analysis inside a sampling loop's loss, say).
/// </summary>
internal sealed class ModelLease : IDisposable
{
    private static readonly ConditionalWeakTable<nn.Module, object> Locks = [];
    private readonly object _gate;

    private ModelLease(object gate) => _gate = gate;

    /// <summary>Takes the model for the calling thread.</summary>
    /// <exception cref="InvalidOperationException">Another thread is sampling or analysing the same model.</exception>
    public static ModelLease Acquire(nn.Module model, string what)
    {
        ArgumentNullException.ThrowIfNull(model);
        object gate = Locks.GetValue(model, _ => new object());
        if (!Monitor.TryEnter(gate))
        {
            throw new InvalidOperationException(
                $"Another thread is sampling or analysing this model; {what} would see its perturbed parameters. Run them one after the other, or give each thread its own copy of the model.");
        }

        return new ModelLease(gate);
    }

    public void Dispose() => Monitor.Exit(_gate);
}
