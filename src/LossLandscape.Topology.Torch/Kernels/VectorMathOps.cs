using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LossLandscape.Topology.Torch.Kernels;

/// <summary>
/// The few 512-bit vector operations the MLP kernels need, for float and double: a fused multiply-add and
/// activations accurate to a few units in the last place (the built-in vector tanh is neither fast nor accurate
/// enough near zero: 1e-10 relative error there).
/// </summary>
internal interface IVectorOps<T>
    where T : unmanaged
{
    static abstract Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> addend);

    static abstract Vector512<T> Tanh(Vector512<T> x);

    static abstract Vector512<T> Sigmoid(Vector512<T> x);

    static abstract Vector512<T> Exp(Vector512<T> x);

    static abstract T FromDouble(double value);
}

/// <summary>Double precision.</summary>
internal readonly struct DoubleOps : IVectorOps<double>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> addend)
        => Vector512.FusedMultiplyAdd(a, b, addend);

    /// <summary>
    /// tanh through expm1, with one division: for m = expm1(−2|x|), tanh|x| = −m / (2 + m), then x's sign. expm1 is
    /// computed as 2ⁿ·expm1(r) + (2ⁿ − 1) with −2|x| = n ln 2 + r, |r| ≤ ln 2 / 2, and expm1(r) by its Taylor series
    /// to r¹³, so small arguments keep full relative accuracy (no 1 − e^… cancellation); about 4e-16 relative.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Tanh(Vector512<double> x)
    {
        // Beyond |x| = 30, tanh is 1 to double precision; the clamp keeps 2ⁿ normal.
        Vector512<double> y = Vector512.Max(Vector512.Abs(x) * Vector512.Create(-2.0), Vector512.Create(-60.0));
        y = Vector512.ConditionalSelect(Vector512.Equals(x, x), y, x);
        (Vector512<double> n, Vector512<double> scale) = Reduce(y);
        Vector512<double> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-6.93145751953125E-1), y);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-1.42860682030941723212E-6), r);
        Vector512<double> q = ExpM1Series(r);
        Vector512<double> m = Vector512.FusedMultiplyAdd(scale, q, scale - Vector512<double>.One);
        Vector512<double> t = Vector512.Abs(m / (m + Vector512.Create(2.0)));
        return t | (x & Vector512.Create(-0.0));
    }

    /// <summary>
    /// n = round(y / ln 2) and 2ⁿ, by adding 1.5·2⁵² (which rounds y / ln 2 to an integer held in the low bits)
    /// instead of a rounding and a conversion: the saturating vector conversion costs several instructions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<double> N, Vector512<double> Scale) Reduce(Vector512<double> y)
    {
        Vector512<double> magic = Vector512.Create(6755399441055744.0);
        Vector512<double> shifted = Vector512.FusedMultiplyAdd(y, Vector512.Create(1.4426950408889634), magic);
        Vector512<double> n = shifted - magic;
        Vector512<double> scale = Vector512.ShiftLeft(shifted.AsInt64() + Vector512.Create(1023L), 52).AsDouble();
        return (n, scale);
    }

    /// <summary>
    /// expm1(r) = r + r²/2! + … + r¹³/13! for |r| ≤ ln 2 / 2 (truncation below 1e-16 relative), by Estrin's scheme:
    /// pairs, then pairs of pairs, so the chain of dependent multiply-adds is 4 deep instead of 13.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ExpM1Series(Vector512<double> r)
    {
        Vector512<double> r2 = r * r;
        Vector512<double> r4 = r2 * r2;
        Vector512<double> r8 = r4 * r4;
        Vector512<double> a0 = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 2), r, Vector512<double>.One);
        Vector512<double> a1 = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 24), r, Vector512.Create(1.0 / 6));
        Vector512<double> a2 = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 720), r, Vector512.Create(1.0 / 120));
        Vector512<double> a3 = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 40320), r, Vector512.Create(1.0 / 5040));
        Vector512<double> a4 = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 3628800), r, Vector512.Create(1.0 / 362880));
        Vector512<double> a5 = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 479001600), r, Vector512.Create(1.0 / 39916800));
        Vector512<double> b0 = Vector512.FusedMultiplyAdd(a1, r2, a0);
        Vector512<double> b1 = Vector512.FusedMultiplyAdd(a3, r2, a2);
        Vector512<double> b2 = Vector512.FusedMultiplyAdd(a5, r2, a4);
        Vector512<double> c0 = Vector512.FusedMultiplyAdd(b1, r4, b0);
        Vector512<double> c1 = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 6227020800), r4, b2);
        return Vector512.FusedMultiplyAdd(c1, r8, c0) * r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sigmoid(Vector512<double> x)
        => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-708.0)), Vector512<double>.Zero, Vector512<double>.One / (Vector512<double>.One + Exp(-x)));

    /// <summary>
    /// e^x to about 1 ulp: x = n ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 split in two for an exact product), e^r by its
    /// Taylor series to r¹³ (truncation below 2e-16), times 2ⁿ built in the exponent bits. Inputs are clamped to
    /// ±708, so the result is finite and normal; NaN stays NaN. About eight times faster than Vector512.Exp here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        Vector512<double> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(-708.0)), Vector512.Create(708.0));
        clamped = Vector512.ConditionalSelect(Vector512.Equals(x, x), clamped, x);
        (Vector512<double> n, Vector512<double> scale) = Reduce(clamped);
        Vector512<double> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-6.93145751953125E-1), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-1.42860682030941723212E-6), r);
        return (ExpM1Series(r) + Vector512<double>.One) * scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double FromDouble(double value) => value;
}

/// <summary>Single precision.</summary>
internal readonly struct SingleOps : IVectorOps<float>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend)
        => Vector512.FusedMultiplyAdd(a, b, addend);

    /// <summary>
    /// tanh as x·P(x²)/Q(x²), P of degree 6 and Q of degree 3, fitted to tanh on [0, 9] by this library
    /// (iteratively reweighted least squares in 40-digit arithmetic: 6.8e-9 relative before rounding to float);
    /// arguments are clamped to ±9, where tanh rounds to ±1 in float. About 3e-7 relative in float arithmetic,
    /// and half the cost of the expm1 route.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<float> c = Vector512.Min(Vector512.Max(x, Vector512.Create(-9f)), Vector512.Create(9f));
        Vector512<float> s = c * c;
        Vector512<float> p = Vector512.FusedMultiplyAdd(s, Vector512.Create(-8.4852626208362972e-14f), Vector512.Create(5.2764940165947346e-11f));
        p = Vector512.FusedMultiplyAdd(s, p, Vector512.Create(-2.022194481463564e-8f));
        p = Vector512.FusedMultiplyAdd(s, p, Vector512.Create(1.115343933511129e-5f));
        p = Vector512.FusedMultiplyAdd(s, p, Vector512.Create(0.0031038691821428259f));
        p = Vector512.FusedMultiplyAdd(s, p, Vector512.Create(0.1308393082213642f));
        p = Vector512.FusedMultiplyAdd(s, p, Vector512.Create(0.99999999320705448f));
        Vector512<float> q = Vector512.FusedMultiplyAdd(s, Vector512.Create(0.00025460209287079325f), Vector512.Create(0.024494827654297877f));
        q = Vector512.FusedMultiplyAdd(s, q, Vector512.Create(0.46417257840437774f));
        q = Vector512.FusedMultiplyAdd(s, q, Vector512<float>.One);
        return c * p / q;
    }

    /// <summary>n = round(y / ln 2) and 2ⁿ, by adding 1.5·2²³, as for double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> N, Vector512<float> Scale) Reduce(Vector512<float> y)
    {
        Vector512<float> magic = Vector512.Create(12582912f);
        Vector512<float> shifted = Vector512.FusedMultiplyAdd(y, Vector512.Create(1.44269504f), magic);
        Vector512<float> n = shifted - magic;
        Vector512<float> scale = Vector512.ShiftLeft(shifted.AsInt32() + Vector512.Create(127), 23).AsSingle();
        return (n, scale);
    }

    /// <summary>expm1(r) = r + r²/2! + … + r⁸/8! for |r| ≤ ln 2 / 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpM1Series(Vector512<float> r)
    {
        Vector512<float> p = Vector512.Create(1f / 40320);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 5040));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 720));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 120));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 24));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        return p * r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x)
        => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-87f)), Vector512<float>.Zero, Vector512<float>.One / (Vector512<float>.One + Exp(-x)));

    /// <summary>e^x to about 1 ulp, as for double with the Taylor series to r⁸ and inputs clamped to ±87.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(-87f)), Vector512.Create(87f));
        clamped = Vector512.ConditionalSelect(Vector512.Equals(x, x), clamped, x);
        (Vector512<float> n, Vector512<float> scale) = Reduce(clamped);
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);
        return (ExpM1Series(r) + Vector512<float>.One) * scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FromDouble(double value) => (float)value;
}
