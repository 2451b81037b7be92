using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Parameters;

/// <summary>
/// A detached copy of every parameter of a model, on the parameters' own devices, so that they can be put back
/// bit for bit (a copy, never a recomputation) after the model was perturbed.
/// </summary>
internal sealed class ParameterSnapshot : IDisposable
{
    private readonly TorchSharp.Modules.Parameter[] _parameters;
    private readonly Tensor[] _saved;

    private ParameterSnapshot(TorchSharp.Modules.Parameter[] parameters, Tensor[] saved)
    {
        _parameters = parameters;
        _saved = saved;
    }

    public IReadOnlyList<TorchSharp.Modules.Parameter> Parameters => _parameters;

    /// <summary>The saved values (read-only use).</summary>
    public IReadOnlyList<Tensor> Saved => _saved;

    public static ParameterSnapshot Capture(nn.Module model)
    {
        TorchSharp.Modules.Parameter[] parameters = model.parameters().ToArray();
        var saved = new Tensor[parameters.Length];
        using (NewDisposeScope())
        using (no_grad())
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                // The detached view dies with the scope; the clone is ours until Dispose.
                saved[i] = parameters[i].detach().clone().DetachFromDisposeScope();
            }
        }

        return new ParameterSnapshot(parameters, saved);
    }

    /// <summary>Copies the saved values back into the parameters.</summary>
    public void Restore()
    {
        using (NewDisposeScope())
        using (no_grad())
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                _parameters[i].copy_(_saved[i]);
            }
        }
    }

    public void Dispose()
    {
        foreach (Tensor t in _saved)
        {
            t.Dispose();
        }
    }
}
