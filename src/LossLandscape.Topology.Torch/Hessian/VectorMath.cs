using System.Numerics.Tensors;

namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>Dense vector kernels of the Krylov methods.</summary>
internal static class VectorMath
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => TensorPrimitives.Dot(a, b);

    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    /// <summary>y ← y + alpha·x.</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y) => TensorPrimitives.MultiplyAdd(x, alpha, y, y);

    public static void Scale(Span<double> x, double factor) => TensorPrimitives.Multiply(x, factor, x);

    /// <summary>Removes from <paramref name="w"/> its components along the (orthonormal) <paramref name="basis"/>, in order.</summary>
    public static void Orthogonalize(Span<double> w, IReadOnlyList<double[]> basis)
    {
        foreach (double[] q in basis)
        {
            Axpy(-Dot(w, q), q, w);
        }
    }

    public static void CheckLength(ReadOnlySpan<double> v, int dimension, string name)
    {
        if (v.Length != dimension)
        {
            throw new ArgumentException($"The vector has {v.Length} entries; the operator's dimension is {dimension}.", name);
        }
    }

    /// <summary>Flips the sign so that the entry of largest magnitude is positive (a deterministic sign for eigenvectors).</summary>
    public static void CanonicalSign(Span<double> v)
    {
        int largest = TensorPrimitives.IndexOfMaxMagnitude<double>(v);
        if (largest >= 0 && v[largest] < 0)
        {
            Scale(v, -1);
        }
    }
}
