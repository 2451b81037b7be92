using System.Runtime.CompilerServices;

namespace LossLandscape.Topology.Torch.Kernels;

/// <summary>
/// One dense layer on feature-major activations (row k holds feature k for every sample, rows padded to a multiple
/// of <see cref="SampleBlock{T, TVector}"/>), in the layout of <c>nn.Linear</c>'s weight ([out, in], row-major):
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
    public static int SampleBlock<T, TVector>()
        where T : unmanaged
        where TVector : struct, ISimdVector<TVector, T>
        => TVector.Count;

    /// <summary>Samples per register block (four vectors): tiles of whole blocks leave no vectors to do one by one.</summary>
    public static int RegisterBlock<T, TVector>()
        where T : unmanaged
        where TVector : struct, ISimdVector<TVector, T>
        => TVector.Count * VectorsPerBlock;

    /// <summary><c>h'[j][s] = act(bias[j] + Σ_k w[j, k] h[k][s])</c>.</summary>
    public static void Forward<T, TOps, TVector>(ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output, int outputs, int inputs, int stride, Activation activation)
        where T : unmanaged
        where TOps : IVectorOps<T>
        where TVector : struct, ISimdVector<TVector, T>
        => Run<T, TOps, TVector>(weight, bias, input, output, default, outputs, inputs, stride, activation, tangent: false);

    /// <summary>
    /// The tangent of <see cref="Forward{T, TOps, TVector}"/> along an input tangent: <c>ḣ'[j][s] = act'(h'[j][s]) · Σ_k w[j, k] ḣ[k][s]</c>,
    /// where <paramref name="layerOutput"/> is h' (the activation's derivative is taken from its output).
    /// </summary>
    public static void Tangent<T, TOps, TVector>(ReadOnlySpan<T> weight, ReadOnlySpan<T> inputTangent, ReadOnlySpan<T> layerOutput, Span<T> outputTangent, int outputs, int inputs, int stride, Activation activation)
        where T : unmanaged
        where TOps : IVectorOps<T>
        where TVector : struct, ISimdVector<TVector, T>
        => Run<T, TOps, TVector>(weight, default, inputTangent, outputTangent, layerOutput, outputs, inputs, stride, activation, tangent: true);

    private static void Run<T, TOps, TVector>(ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, ReadOnlySpan<T> input, Span<T> output, ReadOnlySpan<T> layerOutput, int outputs, int inputs, int stride, Activation activation, bool tangent)
        where T : unmanaged
        where TOps : IVectorOps<T>
        where TVector : struct, ISimdVector<TVector, T>
    {
        int lanes = TVector.Count;
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
                Block4<T, TOps, TVector>(ref w, bias, ref h, ref z, j, s, inputs, stride, hasBias);
            }

            for (; j < outputs; j++)
            {
                Block1<T, TOps, TVector>(ref w, bias, ref h, ref z, j, s, inputs, stride, hasBias);
            }

            if (activation != Activation.Identity)
            {
                Finish<T, TOps, TVector>(ref z, ref a, outputs, s, VectorsPerBlock, stride, activation, tangent);
            }
        }

        for (; s < stride; s += lanes)
        {
            int j = 0;
            for (; j + 8 <= outputs; j += 8)
            {
                Column8<T, TOps, TVector>(ref w, bias, ref h, ref z, j, s, inputs, stride, hasBias);
            }

            for (; j < outputs; j++)
            {
                Column<T, TOps, TVector>(ref w, bias, ref h, ref z, j, s, inputs, stride, hasBias);
            }

            if (activation != Activation.Identity)
            {
                Finish<T, TOps, TVector>(ref z, ref a, outputs, s, 1, stride, activation, tangent);
            }
        }
    }

    /// <summary>Eight outputs, one vector of samples: eight independent chains of multiply-adds keep both FMA units busy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Column8<T, TOps, TVector>(ref T w, ReadOnlySpan<T> bias, ref T h, ref T z, int j, int s, int inputs, int stride, bool hasBias)
        where T : unmanaged
        where TOps : IVectorOps<T>
        where TVector : struct, ISimdVector<TVector, T>
    {
        TVector c0 = hasBias ? TVector.Create(bias[j]) : default;
        TVector c1 = hasBias ? TVector.Create(bias[j + 1]) : default;
        TVector c2 = hasBias ? TVector.Create(bias[j + 2]) : default;
        TVector c3 = hasBias ? TVector.Create(bias[j + 3]) : default;
        TVector c4 = hasBias ? TVector.Create(bias[j + 4]) : default;
        TVector c5 = hasBias ? TVector.Create(bias[j + 5]) : default;
        TVector c6 = hasBias ? TVector.Create(bias[j + 6]) : default;
        TVector c7 = hasBias ? TVector.Create(bias[j + 7]) : default;
        ref T w0 = ref Unsafe.Add(ref w, j * inputs);
        for (int k = 0; k < inputs; k++)
        {
            TVector x = TVector.Load(ref h, (nuint)((k * stride) + s));
            ref T wk = ref Unsafe.Add(ref w0, k);
            c0 = TVector.FusedMultiplyAdd(x, TVector.Create(wk), c0);
            c1 = TVector.FusedMultiplyAdd(x, TVector.Create(Unsafe.Add(ref wk, inputs)), c1);
            c2 = TVector.FusedMultiplyAdd(x, TVector.Create(Unsafe.Add(ref wk, 2 * inputs)), c2);
            c3 = TVector.FusedMultiplyAdd(x, TVector.Create(Unsafe.Add(ref wk, 3 * inputs)), c3);
            c4 = TVector.FusedMultiplyAdd(x, TVector.Create(Unsafe.Add(ref wk, 4 * inputs)), c4);
            c5 = TVector.FusedMultiplyAdd(x, TVector.Create(Unsafe.Add(ref wk, 5 * inputs)), c5);
            c6 = TVector.FusedMultiplyAdd(x, TVector.Create(Unsafe.Add(ref wk, 6 * inputs)), c6);
            c7 = TVector.FusedMultiplyAdd(x, TVector.Create(Unsafe.Add(ref wk, 7 * inputs)), c7);
        }

        c0.Store(ref z, (nuint)((j * stride) + s));
        c1.Store(ref z, (nuint)(((j + 1) * stride) + s));
        c2.Store(ref z, (nuint)(((j + 2) * stride) + s));
        c3.Store(ref z, (nuint)(((j + 3) * stride) + s));
        c4.Store(ref z, (nuint)(((j + 4) * stride) + s));
        c5.Store(ref z, (nuint)(((j + 5) * stride) + s));
        c6.Store(ref z, (nuint)(((j + 6) * stride) + s));
        c7.Store(ref z, (nuint)(((j + 7) * stride) + s));
    }

    /// <summary>One output, one vector of samples: the last few vectors of a row.</summary>
    private static void Column<T, TOps, TVector>(ref T w, ReadOnlySpan<T> bias, ref T h, ref T z, int j, int s, int inputs, int stride, bool hasBias)
        where T : unmanaged
        where TOps : IVectorOps<T>
        where TVector : struct, ISimdVector<TVector, T>
    {
        TVector c = hasBias ? TVector.Create(bias[j]) : default;
        nuint row = (nuint)(j * inputs);
        for (int k = 0; k < inputs; k++)
        {
            c = TVector.FusedMultiplyAdd(TVector.Load(ref h, (nuint)((k * stride) + s)), TVector.Create(Unsafe.Add(ref w, row + (nuint)k)), c);
        }

        c.Store(ref z, (nuint)((j * stride) + s));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4<T, TOps, TVector>(ref T w, ReadOnlySpan<T> bias, ref T h, ref T z, int j, int s, int inputs, int stride, bool hasBias)
        where T : unmanaged
        where TOps : IVectorOps<T>
        where TVector : struct, ISimdVector<TVector, T>
    {
        // 16 accumulators: each loaded activation vector feeds four multiply-adds, each broadcast weight four.
        int lanes = TVector.Count;
        TVector b0 = hasBias ? TVector.Create(bias[j]) : default;
        TVector b1 = hasBias ? TVector.Create(bias[j + 1]) : default;
        TVector b2 = hasBias ? TVector.Create(bias[j + 2]) : default;
        TVector b3 = hasBias ? TVector.Create(bias[j + 3]) : default;
        TVector c00 = b0, c01 = b0, c02 = b0, c03 = b0;
        TVector c10 = b1, c11 = b1, c12 = b1, c13 = b1;
        TVector c20 = b2, c21 = b2, c22 = b2, c23 = b2;
        TVector c30 = b3, c31 = b3, c32 = b3, c33 = b3;
        ref T w0 = ref Unsafe.Add(ref w, j * inputs);
        ref T hs = ref Unsafe.Add(ref h, s);
        for (int k = 0; k < inputs; k++)
        {
            ref T hk = ref Unsafe.Add(ref hs, k * stride);
            TVector h0 = TVector.Load(ref hk, 0);
            TVector h1 = TVector.Load(ref hk, (nuint)lanes);
            TVector h2 = TVector.Load(ref hk, (nuint)(2 * lanes));
            TVector h3 = TVector.Load(ref hk, (nuint)(3 * lanes));
            ref T wk = ref Unsafe.Add(ref w0, k);
            TVector wv = TVector.Create(wk);
            c00 = TVector.FusedMultiplyAdd(h0, wv, c00);
            c01 = TVector.FusedMultiplyAdd(h1, wv, c01);
            c02 = TVector.FusedMultiplyAdd(h2, wv, c02);
            c03 = TVector.FusedMultiplyAdd(h3, wv, c03);
            wv = TVector.Create(Unsafe.Add(ref wk, inputs));
            c10 = TVector.FusedMultiplyAdd(h0, wv, c10);
            c11 = TVector.FusedMultiplyAdd(h1, wv, c11);
            c12 = TVector.FusedMultiplyAdd(h2, wv, c12);
            c13 = TVector.FusedMultiplyAdd(h3, wv, c13);
            wv = TVector.Create(Unsafe.Add(ref wk, 2 * inputs));
            c20 = TVector.FusedMultiplyAdd(h0, wv, c20);
            c21 = TVector.FusedMultiplyAdd(h1, wv, c21);
            c22 = TVector.FusedMultiplyAdd(h2, wv, c22);
            c23 = TVector.FusedMultiplyAdd(h3, wv, c23);
            wv = TVector.Create(Unsafe.Add(ref wk, 3 * inputs));
            c30 = TVector.FusedMultiplyAdd(h0, wv, c30);
            c31 = TVector.FusedMultiplyAdd(h1, wv, c31);
            c32 = TVector.FusedMultiplyAdd(h2, wv, c32);
            c33 = TVector.FusedMultiplyAdd(h3, wv, c33);
        }

        StoreRow(ref z, (nuint)((j * stride) + s), c00, c01, c02, c03);
        StoreRow(ref z, (nuint)(((j + 1) * stride) + s), c10, c11, c12, c13);
        StoreRow(ref z, (nuint)(((j + 2) * stride) + s), c20, c21, c22, c23);
        StoreRow(ref z, (nuint)(((j + 3) * stride) + s), c30, c31, c32, c33);
    }

    private static void Block1<T, TOps, TVector>(ref T w, ReadOnlySpan<T> bias, ref T h, ref T z, int j, int s, int inputs, int stride, bool hasBias)
        where T : unmanaged
        where TOps : IVectorOps<T>
        where TVector : struct, ISimdVector<TVector, T>
    {
        int lanes = TVector.Count;
        TVector b = hasBias ? TVector.Create(bias[j]) : default;
        TVector c0 = b, c1 = b, c2 = b, c3 = b;
        nuint row = (nuint)(j * inputs);
        for (int k = 0; k < inputs; k++)
        {
            nuint at = (nuint)((k * stride) + s);
            TVector wv = TVector.Create(Unsafe.Add(ref w, row + (nuint)k));
            c0 = TVector.FusedMultiplyAdd(TVector.Load(ref h, at), wv, c0);
            c1 = TVector.FusedMultiplyAdd(TVector.Load(ref h, at + (nuint)lanes), wv, c1);
            c2 = TVector.FusedMultiplyAdd(TVector.Load(ref h, at + (nuint)(2 * lanes)), wv, c2);
            c3 = TVector.FusedMultiplyAdd(TVector.Load(ref h, at + (nuint)(3 * lanes)), wv, c3);
        }

        StoreRow(ref z, (nuint)((j * stride) + s), c0, c1, c2, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T, TVector>(ref T z, nuint at, TVector c0, TVector c1, TVector c2, TVector c3)
        where T : unmanaged
        where TVector : struct, ISimdVector<TVector, T>
    {
        // Raw stores here and the activation in a separate method: calls in the activation (exp) would otherwise
        // make the register allocator spill every accumulator on every step of the loop above.
        int lanes = TVector.Count;
        c0.Store(ref z, at);
        c1.Store(ref z, at + (nuint)lanes);
        c2.Store(ref z, at + (nuint)(2 * lanes));
        c3.Store(ref z, at + (nuint)(3 * lanes));
    }

    /// <summary>The activation (or its derivative) on every row, <paramref name="vectors"/> vectors from sample s, in place.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Finish<T, TOps, TVector>(ref T z, ref T a, int rows, int s, int vectors, int stride, Activation activation, bool tangent)
        where T : unmanaged
        where TOps : IVectorOps<T>
        where TVector : struct, ISimdVector<TVector, T>
    {
        int lanes = TVector.Count;
        for (int row = 0; row < rows; row++)
        {
            for (int r = 0; r < vectors; r++)
            {
                nuint position = (nuint)((row * stride) + s + (r * lanes));
                Store<T, TOps, TVector>(ref z, ref a, position, TVector.Load(ref z, position), activation, tangent);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T, TOps, TVector>(ref T z, ref T a, nuint at, TVector c, Activation activation, bool tangent)
        where T : unmanaged
        where TOps : IVectorOps<T>
        where TVector : struct, ISimdVector<TVector, T>
    {
        if (tangent)
        {
            TVector h = TVector.Load(ref a, at);
            c = activation switch
            {
                Activation.Tanh => c * (TVector.One - (h * h)),
                Activation.Sigmoid => c * (h * (TVector.One - h)),
                Activation.ReLU => TVector.ConditionalSelect(TVector.GreaterThan(h, TVector.Zero), c, TVector.Zero),
                _ => c,
            };
        }
        else
        {
            c = activation switch
            {
                Activation.Tanh => TOps.Tanh(c),
                Activation.Sigmoid => TOps.Sigmoid(c),
                Activation.ReLU => TVector.Max(c, TVector.Zero),
                _ => c,
            };
        }

        c.Store(ref z, at);
    }
}
