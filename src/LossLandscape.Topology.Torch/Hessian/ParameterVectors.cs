using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>
/// Flat managed vectors in a model's parameter order, to and from one tensor per parameter: what every curvature
/// operator (Hessian, Gauss–Newton, empirical Fisher) reads its vector into and writes its product from. Parameters
/// that do not require grad keep their place in the flat order and count as constants (zero rows and columns).
/// </summary>
internal sealed class ParameterVectors : IDisposable
{
    private readonly TorchSharp.Modules.Parameter[] _all;
    private readonly bool[] _trainable;
    private readonly long[] _offsets;
    private readonly string[] _names;
    private Tensor? _flat;           // CPU, one dtype: the vector is written straight into its memory
    private Tensor[]? _parts;        // views of _flat shaped like the parameters

    /// <exception cref="ArgumentException">The model has no parameter that requires grad.</exception>
    public ParameterVectors(nn.Module model, string what, string argument)
    {
        _all = model.parameters().ToArray();
        _trainable = _all.Select(p => p.requires_grad).ToArray();
        if (!_trainable.Any(t => t))
        {
            throw new ArgumentException($"No parameter of the model requires grad, so the {what} is empty.", argument);
        }

        _offsets = new long[_all.Length + 1];
        for (int j = 0; j < _all.Length; j++)
        {
            _offsets[j + 1] = _offsets[j] + _all[j].numel();
        }

        Dimension = checked((int)_offsets[^1]);
        _names = model.named_parameters().Select(p => p.name).ToArray();
    }

    /// <summary>Entries of a flat vector: every parameter's elements.</summary>
    public int Dimension { get; }

    /// <summary>Parameters in model order.</summary>
    public int Count => _all.Length;

    /// <summary>Whether parameter <paramref name="j"/> requires grad.</summary>
    public bool IsTrainable(int j) => _trainable[j];

    /// <summary>The parameters that require grad, in model order: the inputs of every derivative.</summary>
    public Tensor[] Trainable() => _all.Where((_, j) => _trainable[j]).ToArray();

    /// <summary>Throws unless <paramref name="v"/> has <see cref="Dimension"/> entries.</summary>
    public void CheckLength(ReadOnlySpan<double> v, string name, string what)
    {
        if (v.Length != Dimension)
        {
            throw new ArgumentException($"The vector has {v.Length} entries; the {what}'s dimension is {Dimension}.", name);
        }
    }

    /// <summary>Throws <see cref="NotFiniteNumberException"/> naming the entry's parameter when a product is not finite.</summary>
    public void CheckFinite(ReadOnlySpan<double> result, string product)
    {
        for (int i = 0; i < result.Length; i++)
        {
            if (!double.IsFinite(result[i]))
            {
                int j = Array.FindLastIndex(_offsets, o => o <= i);
                throw new NotFiniteNumberException(
                    $"{product} is {result[i]} at entry {i} (parameter '{_names[j]}', element {i - _offsets[j]}): the loss or its gradient is not finite at the model's parameters.",
                    result[i]);
            }
        }
    }

    /// <summary>Zeros shaped like <paramref name="like"/>.</summary>
    public static Tensor[] ZerosLike(Tensor[] like) => like.Select(t => zeros_like(t)).ToArray();

    /// <summary>
    /// The derivatives autograd returned, with zeros where a parameter was unused (<c>allow_unused</c>: libtorch would
    /// otherwise abort the process).
    /// </summary>
    public static Tensor[] Defined(IList<Tensor> gradients, Tensor[] like)
    {
        var result = new Tensor[like.Length];
        for (int i = 0; i < like.Length; i++)
        {
            Tensor? g = i < gradients.Count ? gradients[i] : null;
            result[i] = g is null || g.IsInvalid ? zeros_like(like[i]) : g;
        }

        return result;
    }

    /// <summary>
    /// Whether vectors go straight between managed memory and the tensors' memory: every parameter on the CPU in one
    /// floating-point type. A product on a small model costs a millisecond, and a native tensor per parameter each way
    /// was a third of that; elsewhere (another device, mixed types) tensors are made and copied as usual.
    /// </summary>
    private bool IsHostContiguous => _all.All(p => p.device_type == DeviceType.CPU && p.dtype == _all[0].dtype)
        && _all[0].dtype is ScalarType.Float64 or ScalarType.Float32;

    /// <summary>
    /// <paramref name="vector"/> as one tensor per parameter (all of them, trainable or not), on the parameters'
    /// devices. On the CPU the tensors are views of one buffer that lives until <see cref="Dispose"/> and is
    /// overwritten by the next call.
    /// </summary>
    public Tensor[] Split(ReadOnlySpan<double> vector)
    {
        if (IsHostContiguous)
        {
            if (_flat is null)
            {
                using (no_grad())
                {
                    _flat = zeros(Dimension, dtype: _all[0].dtype).DetachFromDisposeScope();
                    _parts = new Tensor[_all.Length];
                    for (int j = 0; j < _all.Length; j++)
                    {
                        _parts[j] = _flat.narrow(0, _offsets[j], _offsets[j + 1] - _offsets[j]).view(_all[j].shape).DetachFromDisposeScope();
                    }
                }
            }

            WriteHost(_flat, vector);
            return _parts!;
        }

        var parts = new Tensor[_all.Length];
        for (int j = 0; j < _all.Length; j++)
        {
            double[] part = vector[(int)_offsets[j]..(int)_offsets[j + 1]].ToArray();
            parts[j] = tensor(part, _all[j].shape, dtype: _all[j].dtype, device: _all[j].device);
        }

        return parts;
    }

    /// <summary>The parts of <see cref="Split"/> that belong to trainable parameters.</summary>
    public Tensor[] TrainableParts(Tensor[] parts) => parts.Where((_, j) => _trainable[j]).ToArray();

    /// <summary>Adds <paramref name="weight"/> times the per-trainable-parameter <paramref name="products"/> into <paramref name="result"/>.</summary>
    public void Accumulate(Tensor[] products, double weight, Span<double> result)
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

    public void Dispose()
    {
        foreach (Tensor part in _parts ?? [])
        {
            part.Dispose();
        }

        _flat?.Dispose();
        _parts = null;
        _flat = null;
    }
}
