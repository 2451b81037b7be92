namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>
/// A symmetric linear operator known only through products with vectors — a Hessian, through Hessian-vector
/// products. The analysis algorithms see nothing else, so they can be checked on explicit matrices.
/// </summary>
public interface ISymmetricOperator
{
    /// <summary>The dimension n (the operator is n × n).</summary>
    int Dimension { get; }

    /// <summary>Writes A·<paramref name="vector"/> into <paramref name="result"/>.</summary>
    /// <exception cref="ArgumentException">A span's length differs from <see cref="Dimension"/>.</exception>
    void Multiply(ReadOnlySpan<double> vector, Span<double> result);
}

/// <summary>An explicit dense symmetric matrix as an operator (row-major), for tests and small problems.</summary>
public sealed class DenseSymmetricOperator : ISymmetricOperator
{
    private readonly double[] _matrix;

    /// <summary>Wraps a row-major n × n matrix (copied).</summary>
    /// <exception cref="ArgumentException">The length is not a square, or the matrix is not symmetric (the message names the first pair).</exception>
    public DenseSymmetricOperator(ReadOnlySpan<double> rowMajor, double symmetryTolerance = 1e-12)
    {
        int n = (int)Math.Round(Math.Sqrt(rowMajor.Length));
        if (n * n != rowMajor.Length)
        {
            throw new ArgumentException($"{rowMajor.Length} entries do not make a square matrix.", nameof(rowMajor));
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double a = rowMajor[(i * n) + j];
                double b = rowMajor[(j * n) + i];
                if (Math.Abs(a - b) > symmetryTolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b))))
                {
                    throw new ArgumentException($"The matrix is not symmetric: entry ({i}, {j}) is {a} but ({j}, {i}) is {b}.", nameof(rowMajor));
                }
            }
        }

        _matrix = rowMajor.ToArray();
        Dimension = n;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public void Multiply(ReadOnlySpan<double> vector, Span<double> result)
    {
        VectorMath.CheckLength(vector, Dimension, nameof(vector));
        VectorMath.CheckLength(result, Dimension, nameof(result));
        for (int i = 0; i < Dimension; i++)
        {
            result[i] = VectorMath.Dot(_matrix.AsSpan(i * Dimension, Dimension), vector);
        }
    }
}
