namespace LossLandscape.Topology.Spectra;

/// <summary>An explicit dense symmetric matrix as an operator (row-major), for small problems, files and tests.</summary>
public sealed class DenseSymmetricOperator : ISymmetricOperator
{
    private readonly double[] _matrix;

    /// <summary>Wraps a row-major n × n matrix (copied).</summary>
    /// <param name="rowMajor">The n² entries, row after row.</param>
    /// <param name="symmetryTolerance">Largest relative difference allowed between entries (i, j) and (j, i).</param>
    /// <exception cref="ArgumentException">
    /// The length is not a square, an entry is not finite, or the matrix is not symmetric (the message names the
    /// first pair).
    /// </exception>
    public DenseSymmetricOperator(ReadOnlySpan<double> rowMajor, double symmetryTolerance = 1e-12)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(symmetryTolerance);
        int n = (int)Math.Round(Math.Sqrt(rowMajor.Length));
        if ((long)n * n != rowMajor.Length || n == 0)
        {
            throw new ArgumentException($"{rowMajor.Length} entries do not make a non-empty square matrix.", nameof(rowMajor));
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double a = rowMajor[(i * n) + j];
                double b = rowMajor[(j * n) + i];
                if (!double.IsFinite(a) || !double.IsFinite(b))
                {
                    throw new ArgumentException($"Entry ({i}, {j}) or ({j}, {i}) is not finite ({a}, {b}).", nameof(rowMajor));
                }

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

    /// <summary>The exact trace (the sum of the diagonal), to compare the stochastic estimates with.</summary>
    public double Trace()
    {
        double sum = 0;
        for (int i = 0; i < Dimension; i++)
        {
            sum += _matrix[(i * Dimension) + i];
        }

        return sum;
    }

    /// <inheritdoc />
    public void Multiply(ReadOnlySpan<double> vector, Span<double> result)
    {
        SpectralVectors.CheckLength(vector, Dimension, nameof(vector));
        SpectralVectors.CheckLength(result, Dimension, nameof(result));
        for (int i = 0; i < Dimension; i++)
        {
            result[i] = SpectralVectors.Dot(_matrix.AsSpan(i * Dimension, Dimension), vector);
        }
    }
}
