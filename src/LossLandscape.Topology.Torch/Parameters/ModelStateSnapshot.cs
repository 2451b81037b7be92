using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Parameters;

/// <summary>
/// A detached copy of everything a forward pass can change in a model: every parameter, every buffer (a
/// BatchNorm's <c>running_mean</c>, <c>running_var</c> and <c>num_batches_tracked</c>, …) and every module's
/// <c>training</c> flag, so that all of it can be put back bit for bit (a copy, never a recomputation) after the
/// model was perturbed or evaluated.
/// </summary>
/// <remarks>
/// Buffers matter even when no parameter is touched: a model in <c>train()</c> mode updates its BatchNorm
/// statistics on every forward pass, so sampling or a Hessian-vector product would otherwise leave the model's
/// eval-mode behaviour changed.
/// </remarks>
internal sealed class ModelStateSnapshot : IDisposable
{
    private readonly TorchSharp.Modules.Parameter[] _parameters;
    private readonly Tensor[] _saved;
    private readonly Tensor[] _buffers;
    private readonly Tensor[] _savedBuffers;
    private readonly (nn.Module Module, bool Training)[] _modes;

    private ModelStateSnapshot(TorchSharp.Modules.Parameter[] parameters, Tensor[] saved, Tensor[] buffers, Tensor[] savedBuffers, (nn.Module, bool)[] modes)
    {
        _parameters = parameters;
        _saved = saved;
        _buffers = buffers;
        _savedBuffers = savedBuffers;
        _modes = modes;
    }

    public IReadOnlyList<TorchSharp.Modules.Parameter> Parameters => _parameters;

    /// <summary>The saved parameter values (read-only use).</summary>
    public IReadOnlyList<Tensor> Saved => _saved;

    public static ModelStateSnapshot Capture(nn.Module model) => Capture(model, withParameters: true);

    /// <summary>
    /// Buffers and training flags only, for work that never writes parameters (a Hessian-vector product): no copy of
    /// the parameters, whose size can dwarf the buffers'.
    /// </summary>
    public static ModelStateSnapshot CaptureBuffersAndModes(nn.Module model) => Capture(model, withParameters: false);

    private static ModelStateSnapshot Capture(nn.Module model, bool withParameters)
    {
        ArgumentNullException.ThrowIfNull(model);
        TorchSharp.Modules.Parameter[] parameters = withParameters ? model.parameters().ToArray() : [];
        Tensor[] buffers = model.buffers().ToArray();
        var modes = new List<(nn.Module, bool)>();
        CollectModes(model, modes);
        var saved = new Tensor[parameters.Length];
        var savedBuffers = new Tensor[buffers.Length];
        using (NewDisposeScope())
        using (no_grad())
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                // The detached view dies with the scope; the clone is ours until Dispose.
                saved[i] = parameters[i].detach().clone().DetachFromDisposeScope();
            }

            for (int i = 0; i < buffers.Length; i++)
            {
                savedBuffers[i] = buffers[i].detach().clone().DetachFromDisposeScope();
            }
        }

        return new ModelStateSnapshot(parameters, saved, buffers, savedBuffers, [.. modes]);
    }

    /// <summary>Copies the saved parameters, buffers and training flags back into the model.</summary>
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

        RestoreBuffers();
        RestoreModes();
    }

    /// <summary>True when some buffer no longer holds its saved value.</summary>
    public bool BuffersChanged()
    {
        using (NewDisposeScope())
        using (no_grad())
        {
            for (int i = 0; i < _buffers.Length; i++)
            {
                if (!_buffers[i].eq(_savedBuffers[i]).all().item<bool>())
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Copies the saved buffers back (after a forward pass in train mode updated them).</summary>
    public void RestoreBuffers()
    {
        if (_buffers.Length == 0)
        {
            return;
        }

        using (NewDisposeScope())
        using (no_grad())
        {
            for (int i = 0; i < _buffers.Length; i++)
            {
                // Only a buffer that changed is written: an unchanged one (eval mode) may be saved in an autograd
                // graph (BatchNorm's running statistics are), and an in-place write would invalidate that graph.
                if (!_buffers[i].eq(_savedBuffers[i]).all().item<bool>())
                {
                    _buffers[i].copy_(_savedBuffers[i]);
                }
            }
        }
    }

    /// <summary>Puts every module's training flag back (a loss may have called <c>eval()</c> or <c>train()</c>).</summary>
    public void RestoreModes()
    {
        foreach ((nn.Module module, bool training) in _modes)
        {
            if (module.training != training)
            {
                // train(bool) recurses, so parents are set before their children (pre-order) and children win.
                module.train(training);
            }
        }
    }

    public void Dispose()
    {
        foreach (Tensor t in _saved.Concat(_savedBuffers))
        {
            t.Dispose();
        }
    }

    private static void CollectModes(nn.Module module, List<(nn.Module, bool)> modes)
    {
        modes.Add((module, module.training));
        foreach ((string _, nn.Module child) in module.named_children())
        {
            CollectModes(child, modes);
        }
    }
}
