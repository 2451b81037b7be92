using System.Numerics.Tensors;

namespace LossLandscape.Topology.Spectra;

/// <summary>The dense vector steps of the Krylov methods (dot products, updates, Gram–Schmidt).</summary>
internal static class SpectralVectors
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => TensorPrimitives.Dot(a, b);

    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    /// <summary>y ← y + alpha·x.</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y) => TensorPrimitives.MultiplyAdd(x, alpha, y, y);

    public static void Scale(Span<double> x, double factor) => TensorPrimitives.Multiply(x, factor, x);

    /// <summary>Divides by ‖v‖ + <paramref name="epsilon"/> (PyHessian's guarded normalisation; ε = 0 is exact).</summary>
    public static void Normalize(Span<double> v, double epsilon = 0) => Scale(v, 1 / (Norm(v) + epsilon));

    /// <summary>Scales to unit length and flips the sign so that the entry of largest magnitude is positive.</summary>
    public static void ToUnitEigenvector(Span<double> v)
    {
        Normalize(v);
        int largest = TensorPrimitives.IndexOfMaxMagnitude<double>(v);
        if (largest >= 0 && v[largest] < 0)
        {
            Scale(v, -1);
        }
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

    public static void CheckLengths(IEnumerable<IReadOnlyList<double>> vectors, int dimension, string name)
    {
        foreach (IReadOnlyList<double> v in vectors)
        {
            if (v.Count != dimension)
            {
                throw new ArgumentException($"A vector has {v.Count} entries; the operator's dimension is {dimension}.", name);
            }
        }
    }
}
