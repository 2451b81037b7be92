using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LossLandscape.Topology.Torch.Kernels;

/// <summary>
/// A hardware vector of one width, so that the kernels are written once for <see cref="Vector128{T}"/>,
/// <see cref="Vector256{T}"/> and <see cref="Vector512{T}"/> (as System.Numerics.Tensors writes its operators once
/// and drives them at every width) and the width is chosen at run time: 512 bits with AVX-512, 256 with AVX2, 128
/// with SSE or ARM64's AdvSimd. The structs hold one vector each and every member inlines, so the JIT keeps them in
/// registers as it does the vectors themselves.
/// </summary>
internal interface ISimdVector<TSelf, T>
    where TSelf : struct, ISimdVector<TSelf, T>
    where T : unmanaged
{
    static abstract int Count { get; }

    static abstract bool IsHardwareAccelerated { get; }

    static abstract TSelf Zero { get; }

    static abstract TSelf One { get; }

    static abstract TSelf Create(T value);

    /// <summary>A constant given in double, converted to T (float constants are written as doubles once).</summary>
    static abstract TSelf Constant(double value);

    static abstract TSelf Load(ref T source, nuint offset);

    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf addend);

    static abstract TSelf Abs(TSelf x);

    static abstract TSelf Min(TSelf a, TSelf b);

    static abstract TSelf Max(TSelf a, TSelf b);

    static abstract TSelf ConditionalSelect(TSelf mask, TSelf whenTrue, TSelf whenFalse);

    static abstract TSelf EqualMask(TSelf a, TSelf b);

    static abstract TSelf LessThan(TSelf a, TSelf b);

    static abstract TSelf GreaterThan(TSelf a, TSelf b);

    /// <summary>
    /// 2ⁿ for lanes holding y·log₂e + 1.5·2⁵² (double) or + 1.5·2²³ (float), whose low bits hold n: the exponent bits
    /// built directly (n + bias, shifted into place).
    /// </summary>
    static abstract TSelf PowerOfTwo(TSelf shifted);

    static abstract TSelf operator +(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a, TSelf b);

    static abstract TSelf operator *(TSelf a, TSelf b);

    static abstract TSelf operator /(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a);

    static abstract TSelf operator &(TSelf a, TSelf b);

    static abstract TSelf operator |(TSelf a, TSelf b);

    void Store(ref T destination, nuint offset);
}

/// <summary>128-bit vectors (SSE, ARM64 AdvSimd).</summary>
internal readonly struct Simd128<T>(Vector128<T> value) : ISimdVector<Simd128<T>, T>
    where T : unmanaged
{
    private readonly Vector128<T> _value = value;

    public static int Count => Vector128<T>.Count;

    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    public static Simd128<T> Zero => new(Vector128<T>.Zero);

    public static Simd128<T> One => new(Vector128<T>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Create(T value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Constant(double value) => new(Vector128.Create(ElementOf<T>.From(value)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Load(ref T source, nuint offset) => new(Vector128.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> FusedMultiplyAdd(Simd128<T> a, Simd128<T> b, Simd128<T> addend)
        => typeof(T) == typeof(double)
            ? new(Vector128.FusedMultiplyAdd(a._value.AsDouble(), b._value.AsDouble(), addend._value.AsDouble()).As<double, T>())
            : new(Vector128.FusedMultiplyAdd(a._value.AsSingle(), b._value.AsSingle(), addend._value.AsSingle()).As<float, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Abs(Simd128<T> x) => new(Vector128.Abs(x._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Min(Simd128<T> a, Simd128<T> b) => new(Vector128.Min(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Max(Simd128<T> a, Simd128<T> b) => new(Vector128.Max(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> ConditionalSelect(Simd128<T> mask, Simd128<T> whenTrue, Simd128<T> whenFalse)
        => new(Vector128.ConditionalSelect(mask._value, whenTrue._value, whenFalse._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> EqualMask(Simd128<T> a, Simd128<T> b) => new(Vector128.Equals(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> LessThan(Simd128<T> a, Simd128<T> b) => new(Vector128.LessThan(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> GreaterThan(Simd128<T> a, Simd128<T> b) => new(Vector128.GreaterThan(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> PowerOfTwo(Simd128<T> shifted)
        => typeof(T) == typeof(double)
            ? new(Vector128.ShiftLeft(shifted._value.AsInt64() + Vector128.Create(1023L), 52).As<long, T>())
            : new(Vector128.ShiftLeft(shifted._value.AsInt32() + Vector128.Create(127), 23).As<int, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator +(Simd128<T> a, Simd128<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator -(Simd128<T> a, Simd128<T> b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator *(Simd128<T> a, Simd128<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator /(Simd128<T> a, Simd128<T> b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator -(Simd128<T> a) => new(-a._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator &(Simd128<T> a, Simd128<T> b) => new(a._value & b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator |(Simd128<T> a, Simd128<T> b) => new(a._value | b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T destination, nuint offset) => _value.StoreUnsafe(ref destination, offset);
}

/// <summary>256-bit vectors (AVX2).</summary>
internal readonly struct Simd256<T>(Vector256<T> value) : ISimdVector<Simd256<T>, T>
    where T : unmanaged
{
    private readonly Vector256<T> _value = value;

    public static int Count => Vector256<T>.Count;

    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    public static Simd256<T> Zero => new(Vector256<T>.Zero);

    public static Simd256<T> One => new(Vector256<T>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Create(T value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Constant(double value) => new(Vector256.Create(ElementOf<T>.From(value)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Load(ref T source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> FusedMultiplyAdd(Simd256<T> a, Simd256<T> b, Simd256<T> addend)
        => typeof(T) == typeof(double)
            ? new(Vector256.FusedMultiplyAdd(a._value.AsDouble(), b._value.AsDouble(), addend._value.AsDouble()).As<double, T>())
            : new(Vector256.FusedMultiplyAdd(a._value.AsSingle(), b._value.AsSingle(), addend._value.AsSingle()).As<float, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Abs(Simd256<T> x) => new(Vector256.Abs(x._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Min(Simd256<T> a, Simd256<T> b) => new(Vector256.Min(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Max(Simd256<T> a, Simd256<T> b) => new(Vector256.Max(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> ConditionalSelect(Simd256<T> mask, Simd256<T> whenTrue, Simd256<T> whenFalse)
        => new(Vector256.ConditionalSelect(mask._value, whenTrue._value, whenFalse._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> EqualMask(Simd256<T> a, Simd256<T> b) => new(Vector256.Equals(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> LessThan(Simd256<T> a, Simd256<T> b) => new(Vector256.LessThan(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> GreaterThan(Simd256<T> a, Simd256<T> b) => new(Vector256.GreaterThan(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> PowerOfTwo(Simd256<T> shifted)
        => typeof(T) == typeof(double)
            ? new(Vector256.ShiftLeft(shifted._value.AsInt64() + Vector256.Create(1023L), 52).As<long, T>())
            : new(Vector256.ShiftLeft(shifted._value.AsInt32() + Vector256.Create(127), 23).As<int, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator +(Simd256<T> a, Simd256<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator -(Simd256<T> a, Simd256<T> b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator *(Simd256<T> a, Simd256<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator /(Simd256<T> a, Simd256<T> b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator -(Simd256<T> a) => new(-a._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator &(Simd256<T> a, Simd256<T> b) => new(a._value & b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator |(Simd256<T> a, Simd256<T> b) => new(a._value | b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T destination, nuint offset) => _value.StoreUnsafe(ref destination, offset);
}

/// <summary>512-bit vectors (AVX-512).</summary>
internal readonly struct Simd512<T>(Vector512<T> value) : ISimdVector<Simd512<T>, T>
    where T : unmanaged
{
    private readonly Vector512<T> _value = value;

    public static int Count => Vector512<T>.Count;

    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    public static Simd512<T> Zero => new(Vector512<T>.Zero);

    public static Simd512<T> One => new(Vector512<T>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Create(T value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Constant(double value) => new(Vector512.Create(ElementOf<T>.From(value)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Load(ref T source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> FusedMultiplyAdd(Simd512<T> a, Simd512<T> b, Simd512<T> addend)
        => typeof(T) == typeof(double)
            ? new(Vector512.FusedMultiplyAdd(a._value.AsDouble(), b._value.AsDouble(), addend._value.AsDouble()).As<double, T>())
            : new(Vector512.FusedMultiplyAdd(a._value.AsSingle(), b._value.AsSingle(), addend._value.AsSingle()).As<float, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Abs(Simd512<T> x) => new(Vector512.Abs(x._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Min(Simd512<T> a, Simd512<T> b) => new(Vector512.Min(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Max(Simd512<T> a, Simd512<T> b) => new(Vector512.Max(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> ConditionalSelect(Simd512<T> mask, Simd512<T> whenTrue, Simd512<T> whenFalse)
        => new(Vector512.ConditionalSelect(mask._value, whenTrue._value, whenFalse._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> EqualMask(Simd512<T> a, Simd512<T> b) => new(Vector512.Equals(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> LessThan(Simd512<T> a, Simd512<T> b) => new(Vector512.LessThan(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> GreaterThan(Simd512<T> a, Simd512<T> b) => new(Vector512.GreaterThan(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> PowerOfTwo(Simd512<T> shifted)
        => typeof(T) == typeof(double)
            ? new(Vector512.ShiftLeft(shifted._value.AsInt64() + Vector512.Create(1023L), 52).As<long, T>())
            : new(Vector512.ShiftLeft(shifted._value.AsInt32() + Vector512.Create(127), 23).As<int, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator +(Simd512<T> a, Simd512<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator -(Simd512<T> a, Simd512<T> b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator *(Simd512<T> a, Simd512<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator /(Simd512<T> a, Simd512<T> b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator -(Simd512<T> a) => new(-a._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator &(Simd512<T> a, Simd512<T> b) => new(a._value & b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator |(Simd512<T> a, Simd512<T> b) => new(a._value | b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T destination, nuint offset) => _value.StoreUnsafe(ref destination, offset);
}

/// <summary>T from a double constant, folded by the JIT for each element type.</summary>
internal static class ElementOf<T>
    where T : unmanaged
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T From(double value) => typeof(T) == typeof(double) ? (T)(object)value : (T)(object)(float)value;
}
