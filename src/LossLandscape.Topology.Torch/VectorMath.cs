using System.Numerics.Tensors;

namespace LossLandscape.Topology.Torch;

/// <summary>Dense vector kernels shared by the direction constructions and the Krylov methods.</summary>
internal static class VectorMath
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => TensorPrimitives.Dot(a, b);

    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    /// <summary>y ← y + alpha·x.</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y) => TensorPrimitives.MultiplyAdd(x, alpha, y, y);

    public static void Scale(Span<double> x, double factor) => TensorPrimitives.Multiply(x, factor, x);

    /// <summary>Divides by ‖v‖ + <paramref name="epsilon"/> (PyHessian's guarded normalisation; ε = 0 is exact).</summary>
    public static void Normalize(Span<double> v, double epsilon = 0) => Scale(v, 1 / (Norm(v) + epsilon));

    /// <summary>Scales to unit length and fixes the sign (<see cref="CanonicalSign"/>): the form eigenvectors are reported in.</summary>
    public static void ToUnitEigenvector(Span<double> v)
    {
        Normalize(v);
        CanonicalSign(v);
    }

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

    public static void CheckLengths(IEnumerable<double[]> vectors, int dimension, string name)
    {
        foreach (double[] v in vectors)
        {
            CheckLength(v, dimension, name);
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
