using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Interop;

/// <summary>
/// Brings a model trained in PyTorch into the matching TorchSharp module: a <c>state_dict</c> saved with
/// <c>torch.save(model.state_dict(), "model.pt")</c> (read by TorchSharp.PyBridge's unpickler, no Python needed)
/// or a <c>.safetensors</c> file. Every entry is checked before anything is copied, so a file that does not fit
/// leaves the module untouched and the exception lists every missing, unexpected and mis-shaped tensor.
/// </summary>
/// <remarks>
/// Names are PyTorch's (<c>0.weight</c> for the first layer of an <c>nn.Sequential</c>, <c>encoder.fc.bias</c>
/// for attributes); a TorchSharp module built the same way has the same names (<c>Sequential</c> numbers its
/// layers as PyTorch does; <c>register_module</c> names the rest). When they differ, pass a rename function from
/// the file's names to the module's. Parameters and buffers (BatchNorm's running statistics) are both loaded.
/// Values are copied bit for bit when the dtypes agree and converted to the module's dtype otherwise.
/// </remarks>
public static class PyTorchWeights
{
    /// <summary>Loads <paramref name="path"/> into <paramref name="module"/> (parameters and buffers, in place, on the module's device).</summary>
    /// <param name="module">The TorchSharp module to fill.</param>
    /// <param name="path">A <c>.safetensors</c> file, or a PyTorch pickle (<c>.pt</c>, <c>.pth</c>, <c>.bin</c>) holding a state_dict.</param>
    /// <param name="rename">Maps a name in the file to the module's name for it; null keeps the names.</param>
    /// <returns>The module, for chaining.</returns>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a state_dict, or its tensors do not match the module's (the message lists them all: missing ones in the module's order, unexpected ones sorted by name).</exception>
    public static nn.Module Load(nn.Module module, string path, Func<string, string>? rename = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        Dictionary<string, Tensor> loaded = Read(path);
        try
        {
            Dictionary<string, Tensor> renamed = Rename(loaded, rename, path);
            Dictionary<string, Tensor> target = module.state_dict();
            Check(target, renamed, path);
            using (no_grad())
            {
                foreach ((string name, Tensor destination) in target)
                {
                    destination.copy_(renamed[name]);
                }
            }

            return module;
        }
        finally
        {
            foreach (Tensor t in loaded.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>
    /// Directions saved from PyTorch, one state_dict-shaped file per direction (a tensor per parameter, with the
    /// parameters' names and shapes; buffers, if present, are ignored), as a <see cref="Directions.DirectionSet"/>
    /// for <paramref name="module"/>.
    /// </summary>
    /// <param name="module">The module the directions perturb (its current parameters are the centre).</param>
    /// <param name="paths">One file per direction.</param>
    /// <exception cref="InvalidDataException">A file lacks a parameter, or a shape differs (the message names them).</exception>
    public static Directions.DirectionSet ReadDirections(nn.Module module, params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Length == 0)
        {
            throw new ArgumentException("Give at least one direction file.", nameof(paths));
        }

        var parameters = module.named_parameters().ToList();
        var vectors = new List<double[]>();
        foreach (string path in paths)
        {
            Dictionary<string, Tensor> loaded = Read(path);
            try
            {
                var problems = parameters.Where(p => !loaded.TryGetValue(p.name, out Tensor? t) || !t.shape.SequenceEqual(p.parameter.shape))
                    .Select(p => loaded.TryGetValue(p.name, out Tensor? t) ? $"{p.name} ({string.Join(", ", t.shape)}) where the module has ({string.Join(", ", p.parameter.shape)})" : $"{p.name} missing")
                    .ToList();
                if (problems.Count > 0)
                {
                    throw new InvalidDataException($"'{path}' is no direction for this module: {string.Join("; ", problems)}.");
                }

                var vector = new List<double>();
                foreach ((string name, _) in parameters)
                {
                    using Tensor flat = loaded[name].detach().cpu().to_type(ScalarType.Float64).contiguous().flatten();
                    vector.AddRange(flat.data<double>().ToArray());
                }

                vectors.Add(vector.ToArray());
            }
            finally
            {
                foreach (Tensor t in loaded.Values)
                {
                    t.Dispose();
                }
            }
        }

        return Directions.DirectionSet.FromVectors(module, [.. vectors]);
    }

    /// <summary>Reads the tensors of a state_dict file (the caller disposes them).</summary>
    /// <inheritdoc cref="Load" path="/param[@name='path']"/>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a state_dict of tensors.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No state_dict file at '{path}'.", path);
        }

        bool safetensors = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
        try
        {
            if (safetensors)
            {
                return Safetensors.LoadStateDict(path);
            }

            Hashtable table = PyTorchUnpickler.UnpickleStateDict(path);
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is string name && entry.Value is Tensor tensor)
                {
                    result[name] = tensor;
                }
                else
                {
                    foreach (Tensor t in result.Values)
                    {
                        t.Dispose();
                    }

                    throw new InvalidDataException($"'{path}' is not a state_dict of tensors: entry '{entry.Key}' holds {entry.Value?.GetType().Name ?? "null"} (save model.state_dict(), not the model or a checkpoint dictionary).");
                }
            }

            return result;
        }
        catch (Exception e) when (e is not (InvalidDataException or OutOfMemoryException or FileNotFoundException or UnauthorizedAccessException))
        {
            throw new InvalidDataException($"'{path}' is not a {(safetensors ? ".safetensors file" : "PyTorch state_dict saved by torch.save")} ({e.GetType().Name}: {e.Message.TrimEnd('.')}).", e);
        }
    }

    private static Dictionary<string, Tensor> Rename(Dictionary<string, Tensor> loaded, Func<string, string>? rename, string path)
    {
        if (rename is null)
        {
            return loaded;
        }

        var renamed = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, Tensor tensor) in loaded)
        {
            string to = rename(name);
            if (!renamed.TryAdd(to, tensor))
            {
                throw new InvalidDataException($"'{path}': the rename function maps two entries to '{to}'.");
            }
        }

        return renamed;
    }

    private static void Check(Dictionary<string, Tensor> target, Dictionary<string, Tensor> file, string path)
    {
        string Shape(Tensor t) => $"({string.Join(", ", t.shape)})";
        var missing = target.Keys.Where(k => !file.ContainsKey(k)).ToList();
        var unexpected = file.Keys.Where(k => !target.ContainsKey(k)).Order(StringComparer.Ordinal).ToList(); // a pickle's table has no order
        var misShaped = target.Where(kv => file.TryGetValue(kv.Key, out Tensor? f) && !f.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key} {Shape(file[kv.Key])} in the file, {Shape(kv.Value)} in the module")
            .ToList();
        if (missing.Count + unexpected.Count + misShaped.Count == 0)
        {
            return;
        }

        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add($"missing from the file: {string.Join(", ", missing)}");
        }

        if (unexpected.Count > 0)
        {
            parts.Add($"in the file but not in the module: {string.Join(", ", unexpected)}");
        }

        if (misShaped.Count > 0)
        {
            parts.Add($"shapes differ: {string.Join("; ", misShaped)}");
        }

        throw new InvalidDataException($"'{path}' does not fit the module ({file.Count} tensors in the file, {target.Count} in the module); nothing was loaded. {string.Join(". ", parts)}.");
    }
}
