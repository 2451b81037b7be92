using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LossLandscape.Topology.Torch.Kernels;

/// <summary>
/// One dense layer on feature-major activations (row k holds feature k for every sample, rows padded to a multiple
/// of <see cref="SampleBlock{T}"/>), in the layout of <c>nn.Linear</c>'s weight ([out, in], row-major):
/// <c>z[j][s] = Σ_k w[j, k] · h[k][s]</c>. Register blocks of 4 outputs × 4 vectors of samples keep 16 accumulators
/// in registers, so each loaded weight and activation feeds several fused multiply-adds; the activation (or, for a
/// tangent, the activation's derivative) is applied to the accumulators before they are stored.
/// </summary>
internal static class DenseKernel
{
    private const int OutputBlock = 4;
    private const int VectorsPerBlock = 4;

    /// <summary>The padding unit of a feature-major row: one vector. Rows are processed in register blocks of four
    /// vectors, and the last one to three vectors one at a time.</summary>
    public static int SampleBlock<T>()
        where T : unmanaged
        => Vector512<T>.Count;

    /// <summary>Samples per register block (four vectors): tiles of whole blocks leave no vectors to do one by one.</summary>
    public static int RegisterBlock<T>()
        where T : unmanaged
        => Vector512<T>.Count * VectorsPerBlock;

    /// <summary><c>h'[j][s] = act(bias[j] + Σ_k w[j, k] h[k][s])</c>.</summary>
    public static void Forward<T, TOps>(ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output, int outputs, int inputs, int stride, Activation activation)
        where T : unmanaged
        where TOps : IVectorOps<T>
        => Run<T, TOps>(weight, bias, input, output, default, outputs, inputs, stride, activation, tangent: false);

    /// <summary>
    /// The tangent of <see cref="Forward{T, TOps}"/> along an input tangent: <c>ḣ'[j][s] = act'(h'[j][s]) · Σ_k w[j, k] ḣ[k][s]</c>,
    /// where <paramref name="layerOutput"/> is h' (the activation's derivative is taken from its output).
    /// </summary>
    public static void Tangent<T, TOps>(ReadOnlySpan<T> weight, ReadOnlySpan<T> inputTangent, ReadOnlySpan<T> layerOutput, Span<T> outputTangent, int outputs, int inputs, int stride, Activation activation)
        where T : unmanaged
        where TOps : IVectorOps<T>
        => Run<T, TOps>(weight, default, inputTangent, outputTangent, layerOutput, outputs, inputs, stride, activation, tangent: true);

    private static void Run<T, TOps>(ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output, ReadOnlySpan<T> layerOutput, int outputs, int inputs, int stride, Activation activation, bool tangent)
        where T : unmanaged
        where TOps : IVectorOps<T>
    {
        int lanes = Vector512<T>.Count;
        if (stride % lanes != 0 || input.Length < inputs * stride || output.Length < outputs * stride || weight.Length < outputs * inputs)
        {
            throw new ArgumentException($"Feature-major rows of {stride} samples (a multiple of {lanes}) do not fit these buffers.");
        }

        ref T w = ref Unsafe.AsRef(in weight[0]);
        ref T h = ref Unsafe.AsRef(in input[0]);
        ref T z = ref output[0];
        ref T a = ref tangent ? ref Unsafe.AsRef(in layerOutput[0]) : ref z;
        bool hasBias = !bias.IsEmpty;
        int s = 0;
        for (; s + (lanes * VectorsPerBlock) <= stride; s += lanes * VectorsPerBlock)
        {
            int j = 0;
            for (; j + OutputBlock <= outputs; j += OutputBlock)
            {
                Block4<T, TOps>(ref w, bias, ref h, ref z, j, s, inputs, stride, hasBias);
            }

            for (; j < outputs; j++)
            {
                Block1<T, TOps>(ref w, bias, ref h, ref z, j, s, inputs, stride, hasBias);
            }

            if (activation != Activation.Identity)
            {
                Finish<T, TOps>(ref z, ref a, outputs, s, VectorsPerBlock, stride, activation, tangent);
            }
        }

        for (; s < stride; s += lanes)
        {
            int j = 0;
            for (; j + 8 <= outputs; j += 8)
            {
                Column8<T, TOps>(ref w, bias, ref h, ref z, j, s, inputs, stride, hasBias);
            }

            for (; j < outputs; j++)
            {
                Column<T, TOps>(ref w, bias, ref h, ref z, j, s, inputs, stride, hasBias);
            }

            if (activation != Activation.Identity)
            {
                Finish<T, TOps>(ref z, ref a, outputs, s, 1, stride, activation, tangent);
            }
        }
    }

    /// <summary>Eight outputs, one vector of samples: eight independent chains of multiply-adds keep both FMA units busy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Column8<T, TOps>(ref T w, ReadOnlySpan<T> bias, ref T h, ref T z, int j, int s, int inputs, int stride, bool hasBias)
        where T : unmanaged
        where TOps : IVectorOps<T>
    {
        Vector512<T> c0 = hasBias ? Vector512.Create(bias[j]) : default;
        Vector512<T> c1 = hasBias ? Vector512.Create(bias[j + 1]) : default;
        Vector512<T> c2 = hasBias ? Vector512.Create(bias[j + 2]) : default;
        Vector512<T> c3 = hasBias ? Vector512.Create(bias[j + 3]) : default;
        Vector512<T> c4 = hasBias ? Vector512.Create(bias[j + 4]) : default;
        Vector512<T> c5 = hasBias ? Vector512.Create(bias[j + 5]) : default;
        Vector512<T> c6 = hasBias ? Vector512.Create(bias[j + 6]) : default;
        Vector512<T> c7 = hasBias ? Vector512.Create(bias[j + 7]) : default;
        ref T w0 = ref Unsafe.Add(ref w, j * inputs);
        for (int k = 0; k < inputs; k++)
        {
            Vector512<T> x = Vector512.LoadUnsafe(ref h, (nuint)((k * stride) + s));
            ref T wk = ref Unsafe.Add(ref w0, k);
            c0 = TOps.MultiplyAdd(x, Vector512.Create(wk), c0);
            c1 = TOps.MultiplyAdd(x, Vector512.Create(Unsafe.Add(ref wk, inputs)), c1);
            c2 = TOps.MultiplyAdd(x, Vector512.Create(Unsafe.Add(ref wk, 2 * inputs)), c2);
            c3 = TOps.MultiplyAdd(x, Vector512.Create(Unsafe.Add(ref wk, 3 * inputs)), c3);
            c4 = TOps.MultiplyAdd(x, Vector512.Create(Unsafe.Add(ref wk, 4 * inputs)), c4);
            c5 = TOps.MultiplyAdd(x, Vector512.Create(Unsafe.Add(ref wk, 5 * inputs)), c5);
            c6 = TOps.MultiplyAdd(x, Vector512.Create(Unsafe.Add(ref wk, 6 * inputs)), c6);
            c7 = TOps.MultiplyAdd(x, Vector512.Create(Unsafe.Add(ref wk, 7 * inputs)), c7);
        }

        c0.StoreUnsafe(ref z, (nuint)((j * stride) + s));
        c1.StoreUnsafe(ref z, (nuint)(((j + 1) * stride) + s));
        c2.StoreUnsafe(ref z, (nuint)(((j + 2) * stride) + s));
        c3.StoreUnsafe(ref z, (nuint)(((j + 3) * stride) + s));
        c4.StoreUnsafe(ref z, (nuint)(((j + 4) * stride) + s));
        c5.StoreUnsafe(ref z, (nuint)(((j + 5) * stride) + s));
        c6.StoreUnsafe(ref z, (nuint)(((j + 6) * stride) + s));
        c7.StoreUnsafe(ref z, (nuint)(((j + 7) * stride) + s));
    }

    /// <summary>One output, one vector of samples: the last few vectors of a row.</summary>
    private static void Column<T, TOps>(ref T w, ReadOnlySpan<T> bias, ref T h, ref T z, int j, int s, int inputs, int stride, bool hasBias)
        where T : unmanaged
        where TOps : IVectorOps<T>
    {
        Vector512<T> c = hasBias ? Vector512.Create(bias[j]) : default;
        nuint row = (nuint)(j * inputs);
        for (int k = 0; k < inputs; k++)
        {
            c = TOps.MultiplyAdd(Vector512.LoadUnsafe(ref h, (nuint)((k * stride) + s)), Vector512.Create(Unsafe.Add(ref w, row + (nuint)k)), c);
        }

        c.StoreUnsafe(ref z, (nuint)((j * stride) + s));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4<T, TOps>(ref T w, ReadOnlySpan<T> bias, ref T h, ref T z, int j, int s, int inputs, int stride, bool hasBias)
        where T : unmanaged
        where TOps : IVectorOps<T>
    {
        // 16 accumulators: each loaded activation vector feeds four multiply-adds, each broadcast weight four.
        int lanes = Vector512<T>.Count;
        Vector512<T> b0 = hasBias ? Vector512.Create(bias[j]) : default;
        Vector512<T> b1 = hasBias ? Vector512.Create(bias[j + 1]) : default;
        Vector512<T> b2 = hasBias ? Vector512.Create(bias[j + 2]) : default;
        Vector512<T> b3 = hasBias ? Vector512.Create(bias[j + 3]) : default;
        Vector512<T> c00 = b0, c01 = b0, c02 = b0, c03 = b0;
        Vector512<T> c10 = b1, c11 = b1, c12 = b1, c13 = b1;
        Vector512<T> c20 = b2, c21 = b2, c22 = b2, c23 = b2;
        Vector512<T> c30 = b3, c31 = b3, c32 = b3, c33 = b3;
        ref T w0 = ref Unsafe.Add(ref w, j * inputs);
        ref T hs = ref Unsafe.Add(ref h, s);
        for (int k = 0; k < inputs; k++)
        {
            ref T hk = ref Unsafe.Add(ref hs, k * stride);
            Vector512<T> h0 = Vector512.LoadUnsafe(ref hk);
            Vector512<T> h1 = Vector512.LoadUnsafe(ref hk, (nuint)lanes);
            Vector512<T> h2 = Vector512.LoadUnsafe(ref hk, (nuint)(2 * lanes));
            Vector512<T> h3 = Vector512.LoadUnsafe(ref hk, (nuint)(3 * lanes));
            ref T wk = ref Unsafe.Add(ref w0, k);
            Vector512<T> wv = Vector512.Create(wk);
            c00 = TOps.MultiplyAdd(h0, wv, c00);
            c01 = TOps.MultiplyAdd(h1, wv, c01);
            c02 = TOps.MultiplyAdd(h2, wv, c02);
            c03 = TOps.MultiplyAdd(h3, wv, c03);
            wv = Vector512.Create(Unsafe.Add(ref wk, inputs));
            c10 = TOps.MultiplyAdd(h0, wv, c10);
            c11 = TOps.MultiplyAdd(h1, wv, c11);
            c12 = TOps.MultiplyAdd(h2, wv, c12);
            c13 = TOps.MultiplyAdd(h3, wv, c13);
            wv = Vector512.Create(Unsafe.Add(ref wk, 2 * inputs));
            c20 = TOps.MultiplyAdd(h0, wv, c20);
            c21 = TOps.MultiplyAdd(h1, wv, c21);
            c22 = TOps.MultiplyAdd(h2, wv, c22);
            c23 = TOps.MultiplyAdd(h3, wv, c23);
            wv = Vector512.Create(Unsafe.Add(ref wk, 3 * inputs));
            c30 = TOps.MultiplyAdd(h0, wv, c30);
            c31 = TOps.MultiplyAdd(h1, wv, c31);
            c32 = TOps.MultiplyAdd(h2, wv, c32);
            c33 = TOps.MultiplyAdd(h3, wv, c33);
        }

        StoreRow(ref z, (nuint)((j * stride) + s), c00, c01, c02, c03);
        StoreRow(ref z, (nuint)(((j + 1) * stride) + s), c10, c11, c12, c13);
        StoreRow(ref z, (nuint)(((j + 2) * stride) + s), c20, c21, c22, c23);
        StoreRow(ref z, (nuint)(((j + 3) * stride) + s), c30, c31, c32, c33);
    }

    private static void Block1<T, TOps>(ref T w, ReadOnlySpan<T> bias, ref T h, ref T z, int j, int s, int inputs, int stride, bool hasBias)
        where T : unmanaged
        where TOps : IVectorOps<T>
    {
        int lanes = Vector512<T>.Count;
        Vector512<T> b = hasBias ? Vector512.Create(bias[j]) : default;
        Vector512<T> c0 = b, c1 = b, c2 = b, c3 = b;
        nuint row = (nuint)(j * inputs);
        for (int k = 0; k < inputs; k++)
        {
            nuint at = (nuint)((k * stride) + s);
            Vector512<T> wv = Vector512.Create(Unsafe.Add(ref w, row + (nuint)k));
            c0 = TOps.MultiplyAdd(Vector512.LoadUnsafe(ref h, at), wv, c0);
            c1 = TOps.MultiplyAdd(Vector512.LoadUnsafe(ref h, at + (nuint)lanes), wv, c1);
            c2 = TOps.MultiplyAdd(Vector512.LoadUnsafe(ref h, at + (nuint)(2 * lanes)), wv, c2);
            c3 = TOps.MultiplyAdd(Vector512.LoadUnsafe(ref h, at + (nuint)(3 * lanes)), wv, c3);
        }

        StoreRow(ref z, (nuint)((j * stride) + s), c0, c1, c2, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(ref T z, nuint at, Vector512<T> c0, Vector512<T> c1, Vector512<T> c2, Vector512<T> c3)
        where T : unmanaged
    {
        // Raw stores here and the activation in a separate method: calls in the activation (exp) would otherwise
        // make the register allocator spill every accumulator on every step of the loop above.
        int lanes = Vector512<T>.Count;
        c0.StoreUnsafe(ref z, at);
        c1.StoreUnsafe(ref z, at + (nuint)lanes);
        c2.StoreUnsafe(ref z, at + (nuint)(2 * lanes));
        c3.StoreUnsafe(ref z, at + (nuint)(3 * lanes));
    }

    /// <summary>The activation (or its derivative) on every row, <paramref name="vectors"/> vectors from sample s, in place.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Finish<T, TOps>(ref T z, ref T a, int rows, int s, int vectors, int stride, Activation activation, bool tangent)
        where T : unmanaged
        where TOps : IVectorOps<T>
    {
        int lanes = Vector512<T>.Count;
        for (int row = 0; row < rows; row++)
        {
            for (int r = 0; r < vectors; r++)
            {
                nuint position = (nuint)((row * stride) + s + (r * lanes));
                Store<T, TOps>(ref z, ref a, position, Vector512.LoadUnsafe(ref z, position), activation, tangent);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T, TOps>(ref T z, ref T a, nuint at, Vector512<T> c, Activation activation, bool tangent)
        where T : unmanaged
        where TOps : IVectorOps<T>
    {
        if (tangent)
        {
            Vector512<T> h = Vector512.LoadUnsafe(ref a, at);
            c = activation switch
            {
                Activation.Tanh => c * (Vector512<T>.One - (h * h)),
                Activation.Sigmoid => c * (h * (Vector512<T>.One - h)),
                Activation.ReLU => Vector512.ConditionalSelect(Vector512.GreaterThan(h, Vector512<T>.Zero), c, Vector512<T>.Zero),
                _ => c,
            };
        }
        else
        {
            c = activation switch
            {
                Activation.Tanh => TOps.Tanh(c),
                Activation.Sigmoid => TOps.Sigmoid(c),
                Activation.ReLU => Vector512.Max(c, Vector512<T>.Zero),
                _ => c,
            };
        }

        c.StoreUnsafe(ref z, at);
    }
}
