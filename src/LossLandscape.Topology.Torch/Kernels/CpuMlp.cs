using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LossLandscape.Topology.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Kernels;

/// <summary>
/// Evaluates B members of an MLP (Linear layers, each followed by at most one tanh, sigmoid or ReLU) on shared CPU
/// inputs with this library's own kernels instead of libtorch's batched matrix products, optionally with the
/// derivative of the outputs along one input direction (forward mode). Members run in parallel on as many threads
/// as libtorch is allowed, at the widest vector width the CPU accelerates (<see cref="Width"/>). Used by batched
/// evaluation when everything is on the CPU in float32 or float64 and no autograd graph is wanted; otherwise the
/// libtorch path runs.
/// </summary>
/// <remarks>
/// Why: on the small matrices of a landscape MLP, libtorch spends most of its time in per-call overhead and in its
/// float64 tanh (6.8 ns per element on the benchmark machine); these kernels keep activations feature-major in
/// cache, block the products in registers and evaluate tanh as a vector rational function.
/// </remarks>
internal sealed class CpuMlp
{
    private static readonly Lock s_gate = new();
    private static int s_holders;       // runs that hold libtorch's threads now
    private static int s_savedThreads;  // libtorch's thread count before the first of them
    private readonly Layer[] _layers;
    private readonly System.Collections.Concurrent.ConcurrentBag<object> _scratch = [];

    private CpuMlp(Layer[] layers) => _layers = layers;

    private static readonly AsyncLocal<int?> s_forcedWidth = new();

    /// <summary>
    /// The vector width the kernels run at, in bits: the widest the CPU accelerates (512 with AVX-512, 256 with AVX2,
    /// 128 with SSE or ARM64 AdvSimd), or 0 when none is; a test can force another (<see cref="UseWidth"/>).
    /// </summary>
    public static int Width => s_forcedWidth.Value
        ?? (Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0);

    /// <summary>
    /// Runs the kernels at <paramref name="bits"/> (128, 256 or 512) on this async flow until disposed, whatever the
    /// CPU: a width the CPU does not accelerate runs through .NET's software fallback, slowly but with the same
    /// arithmetic, so every width's code is tested on every machine.
    /// </summary>
    public static IDisposable UseWidth(int bits)
    {
        if (bits is not (128 or 256 or 512))
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "The kernels run at 128, 256 or 512 bits.");
        }

        int? previous = s_forcedWidth.Value;
        s_forcedWidth.Value = bits;
        return new WidthScope(previous);
    }

    private sealed class WidthScope(int? previous) : IDisposable
    {
        public void Dispose() => s_forcedWidth.Value = previous;
    }

    /// <summary>A run scope that sets nothing up.</summary>
    public static IDisposable NoRunScope { get; } = new NoScope();

    /// <summary>
    /// For the scope's lifetime, the kernels use all of libtorch's intra-op threads and libtorch itself runs on
    /// one: libtorch's OpenMP workers spin for a while after each parallel operation, and on a machine with few
    /// cores that spinning takes the cores the kernels' threads need (on 2 cores, batched sampling on 2 threads was
    /// no faster than on 1). libtorch's thread count is process-wide, so concurrent runs share one hold: the first
    /// saves the count, the last to finish puts it back, and no run ever sees another run's setting as its budget.
    /// </summary>
    public static IDisposable TakeOverThreads()
    {
        lock (s_gate)
        {
            if (s_holders == 0)
            {
                s_savedThreads = get_num_threads();
                if (s_savedThreads > 1)
                {
                    set_num_threads(1);
                }
            }

            s_holders++;
            return new Hold();
        }
    }

    /// <summary>Threads the kernels may use: libtorch's budget, or the budget it had before a run took it over.</summary>
    private static int KernelThreads()
    {
        lock (s_gate)
        {
            return s_holders > 0 ? Math.Max(1, s_savedThreads) : get_num_threads();
        }
    }

    private sealed class Hold : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            lock (s_gate)
            {
                if (--s_holders == 0 && s_savedThreads > 1)
                {
                    set_num_threads(s_savedThreads);
                }
            }
        }
    }

    private sealed class NoScope : IDisposable
    {
        public void Dispose()
        {
        }
    }

    private readonly record struct Layer(int Weight, int Bias, int Inputs, int Outputs, Activation Activation);

    /// <summary>The plan for <paramref name="structure"/>, or null when a layer is not one the kernels take.</summary>
    public static CpuMlp? TryCreate(MlpStructure structure, IReadOnlyList<Tensor> parameters)
    {
        if (Width == 0)
        {
            return null; // no hardware vectors at all: libtorch's path
        }

        var layers = new List<Layer>();
        foreach (MlpStructure.Step step in structure.Steps)
        {
            if (step.Weight >= 0)
            {
                Tensor w = parameters[step.Weight];
                layers.Add(new Layer(step.Weight, step.Bias, (int)w.shape[^1], (int)w.shape[^2], Activation.Identity));
                continue;
            }

            Activation? activation = step.Elementwise switch
            {
                TorchSharp.Modules.Tanh => Activation.Tanh,
                TorchSharp.Modules.Sigmoid => Activation.Sigmoid,
                TorchSharp.Modules.ReLU => Activation.ReLU,
                TorchSharp.Modules.Identity => Activation.Identity,
                _ => null,
            };
            if (activation is null || layers.Count == 0 || (activation != Activation.Identity && layers[^1].Activation != Activation.Identity))
            {
                return null; // an activation the kernels do not know, one before the first layer, or two in a row
            }

            if (activation != Activation.Identity)
            {
                layers[^1] = layers[^1] with { Activation = activation.Value };
            }
        }

        return new CpuMlp([.. layers]);
    }

    /// <summary>True when <see cref="Evaluate"/> can take these tensors: all on the CPU, one floating type, no autograd.</summary>
    public bool Accepts(IReadOnlyList<Tensor> parameters, Tensor input)
    {
        ScalarType type = input.dtype;
        if ((type != ScalarType.Float32 && type != ScalarType.Float64) || input.dim() != 2 || input.device_type != DeviceType.CPU
            || input.shape[1] != _layers[0].Inputs || (input.requires_grad && is_grad_enabled()))
        {
            return false;
        }

        foreach (Tensor p in parameters)
        {
            if (p.dtype != type || p.device_type != DeviceType.CPU || (p.requires_grad && is_grad_enabled()))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Outputs [B, N, out] and, with a direction, their derivatives along it, [B, N, out], as new tensors of the
    /// input's type on the CPU.
    /// </summary>
    public (Tensor Output, Tensor? Derivative) Evaluate(IReadOnlyList<Tensor> parameters, Tensor input, ReadOnlySpan<double> direction)
        => (input.dtype == ScalarType.Float64, Width) switch
        {
            (true, 512) => Evaluate<double, DoubleOps, Simd512<double>>(parameters, input, direction),
            (true, 256) => Evaluate<double, DoubleOps, Simd256<double>>(parameters, input, direction),
            (true, _) => Evaluate<double, DoubleOps, Simd128<double>>(parameters, input, direction),
            (false, 512) => Evaluate<float, SingleOps, Simd512<float>>(parameters, input, direction),
            (false, 256) => Evaluate<float, SingleOps, Simd256<float>>(parameters, input, direction),
            (false, _) => Evaluate<float, SingleOps, Simd128<float>>(parameters, input, direction),
        };

    private (Tensor Output, Tensor? Derivative) Evaluate<T, TOps, TVector>(IReadOnlyList<Tensor> parameters, Tensor input, ReadOnlySpan<double> direction)
        where T : unmanaged
        where TOps : IVectorOps<T>
        where TVector : struct, ISimdVector<TVector, T>
    {
        int members = (int)parameters[0].shape[0];
        int n = (int)input.shape[0];
        int block = DenseKernel.SampleBlock<T, TVector>();
        int width = _layers.Max(l => Math.Max(l.Inputs, l.Outputs));
        int tile = TileLength<T, TVector>(width);
        int stride = n + tile; // the inputs' rows, with room for a last tile's padding (zeros)

        int inputs = _layers[0].Inputs;
        int outputs = _layers[^1].Outputs;
        bool tangent = !direction.IsEmpty;

        // Inputs feature-major, padded with zeros; the input tangent is the direction, the same for every sample.
        var features = new T[inputs * stride];
        using (Tensor inputRows = input.contiguous())
        {
            ReadOnlySpan<T> rows = MemoryMarshal.Cast<byte, T>(inputRows.bytes);
            for (int s = 0; s < n; s++)
            {
                for (int k = 0; k < inputs; k++)
                {
                    features[(k * stride) + s] = rows[(s * inputs) + k];
                }
            }
        }

        T[] directionValues = new T[direction.Length];
        for (int k = 0; k < direction.Length; k++)
        {
            directionValues[k] = TOps.FromDouble(direction[k]);
        }

        // Members' parameters, read in place: contiguous tensors (the sampler's are; others are made so and kept
        // alive until the end), addressed by pointer because spans cannot enter the parallel loop.
        var contiguous = new Tensor[parameters.Count];
        var addresses = new nint[parameters.Count];
        for (int p = 0; p < parameters.Count; p++)
        {
            contiguous[p] = parameters[p].is_contiguous() ? parameters[p] : parameters[p].contiguous();
            addresses[p] = Address(contiguous[p]);
        }

        // The results go straight into new tensors' memory.
        long[] shape = [members, n, outputs];
        Tensor output = empty(shape, input.dtype);
        Tensor? derivative = tangent ? empty(shape, input.dtype) : null;
        nint resultAddress = Address(output);
        nint derivativeAddress = derivative is null ? 0 : Address(derivative);
        var options = new ParallelOptions { MaxDegreeOfParallelism = KernelThreads() };
        Parallel.For(0, members, options, () => RentScratch<T>(width * tile), (b, _, scratch) =>
        {
            // Tile by tile through every layer, so that a tile's activations stay in the core's own caches.
            for (int start = 0; start < n; start += tile)
            {
                int count = Math.Min(tile, n - start);
                int rowLength = Math.Min(tile, Unaliased<T>((count + block - 1) / block * block, block, width)); // a short tile can alias where the full one does not

                for (int k = 0; k < inputs; k++)
                {
                    features.AsSpan((k * stride) + start, rowLength).CopyTo(scratch.Input.AsSpan(k * rowLength));
                    if (tangent)
                    {
                        scratch.InputTangent.AsSpan(k * rowLength, rowLength).Fill(directionValues[k]); // the same for every sample
                    }
                }

                T[] h = scratch.Input;
                T[] ht = scratch.InputTangent;
                T[][] next = [scratch.A, scratch.B];
                T[][] nextTangent = [scratch.C, scratch.D];
                for (int l = 0; l < _layers.Length; l++)
                {
                    Layer layer = _layers[l];
                    int size = layer.Outputs * layer.Inputs;
                    ReadOnlySpan<T> w = Members<T>(addresses[layer.Weight], members * size).Slice(b * size, size);
                    ReadOnlySpan<T> bias = layer.Bias >= 0 ? Members<T>(addresses[layer.Bias], members * layer.Outputs).Slice(b * layer.Outputs, layer.Outputs) : default;
                    T[] z = next[l % 2];
                    DenseKernel.Forward<T, TOps, TVector>(w, bias, h, z, layer.Outputs, layer.Inputs, rowLength, layer.Activation);
                    if (tangent)
                    {
                        T[] zt = nextTangent[l % 2];
                        DenseKernel.Tangent<T, TOps, TVector>(w, ht, z, zt, layer.Outputs, layer.Inputs, rowLength, layer.Activation);
                        ht = zt;
                    }

                    h = z;
                }

                // Back to sample-major [N, out] for this member.
                Span<T> own = Writable<T>(resultAddress, members * n * outputs).Slice(((b * n) + start) * outputs, count * outputs);
                Span<T> ownTangent = tangent ? Writable<T>(derivativeAddress, members * n * outputs).Slice(((b * n) + start) * outputs, count * outputs) : default;
                for (int o = 0; o < outputs; o++)
                {
                    for (int s = 0; s < count; s++)
                    {
                        own[(s * outputs) + o] = h[(o * rowLength) + s];
                        if (tangent)
                        {
                            ownTangent[(s * outputs) + o] = ht[(o * rowLength) + s];
                        }
                    }
                }
            }

            return scratch;
        }, scratch => _scratch.Add(scratch));

        for (int p = 0; p < parameters.Count; p++)
        {
            if (!ReferenceEquals(contiguous[p], parameters[p]))
            {
                contiguous[p].Dispose();
            }
        }

        GC.KeepAlive(parameters);
        return (output, derivative);
    }

    private static unsafe nint Address(Tensor contiguous)
    {
        fixed (byte* data = contiguous.bytes)
        {
            return (nint)data; // libtorch's storage does not move
        }
    }

    private static unsafe ReadOnlySpan<T> Members<T>(nint address, int length)
        where T : unmanaged
        => new((void*)address, length);

    /// <summary>
    /// Samples per tile: whole register blocks, rows of about 1 KB, so a tile's activations (a few hundred KB at width 50) stay in the
    /// core's L2, lengthened by a vector while rows would share L1 sets (a layer reads all its input rows at once,
    /// and rows a multiple of 4 KB apart fall on the same sets).
    /// </summary>
    private static int TileLength<T, TVector>(int width)
        where T : unmanaged
        where TVector : struct, ISimdVector<TVector, T>
    {
        int unit = DenseKernel.RegisterBlock<T, TVector>();
        return Unaliased<T>(Math.Max(unit, 1024 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>() / unit * unit), unit, width);
    }

    /// <summary>
    /// <paramref name="length"/>, lengthened by <paramref name="unit"/> while rows of that length would put more than
    /// 8 of <paramref name="rows"/> rows on the same L1 sets (rows a multiple of 4 KB apart share sets; L1 has 12 ways).
    /// </summary>
    private static int Unaliased<T>(int length, int unit, int rows)
        where T : unmanaged
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        while (RowsPerCacheSet(length * size, rows) > 8)
        {
            length += unit;
        }

        return length;
    }

    /// <summary>How many of <paramref name="rows"/> rows, <paramref name="bytes"/> apart, fall on the same 4 KB-periodic cache sets.</summary>
    private static int RowsPerCacheSet(int bytes, int rows)
    {
        int period = 4096 / (int)System.Numerics.BigInteger.GreatestCommonDivisor(bytes, 4096);
        return (rows + period - 1) / period;
    }

    private static unsafe Span<T> Writable<T>(nint address, int length)
        where T : unmanaged
        => new((void*)address, length);

    /// <summary>A thread's buffers from an earlier call, or new ones: they are too large to allocate per call.</summary>
    private Scratch<T> RentScratch<T>(int length)
    {
        while (_scratch.TryTake(out object? pooled))
        {
            if (pooled is Scratch<T> scratch && scratch.Length == length)
            {
                return scratch;
            }
        }

        return new Scratch<T>(length);
    }

    /// <summary>
    /// One thread's buffers for one tile: its inputs and input tangents, and two activation buffers each for values
    /// and tangents, used alternately by layer.
    /// </summary>
    private sealed class Scratch<T>(int length)
    {
        public int Length => length;

        public T[] Input { get; } = new T[length];

        public T[] InputTangent { get; } = new T[length];

        public T[] A { get; } = new T[length];

        public T[] B { get; } = new T[length];

        public T[] C { get; } = new T[length];

        public T[] D { get; } = new T[length];
    }
}
