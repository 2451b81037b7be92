namespace LossLandscape.Topology.Spectra;

/// <summary>Operators made from another: its negation (for the most negative eigenvalues) and one diagonal block of it.</summary>
public static class SymmetricOperators
{
    /// <summary>−A: its largest eigenvalues are A's most negative ones, negated.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="operator"/> is null.</exception>
    public static ISymmetricOperator Negated(ISymmetricOperator @operator)
    {
        ArgumentNullException.ThrowIfNull(@operator);
        return new NegatedOperator(@operator);
    }

    /// <summary>
    /// The diagonal block A[offset .. offset + length, offset .. offset + length]: for a Hessian in its model's
    /// parameter order, the Hessian of one parameter block (a layer's weights, say) with the others held fixed. One
    /// product of the block costs one product of A, with the vector zero outside the block.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="operator"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The block is empty or reaches outside the operator.</exception>
    public static ISymmetricOperator Block(ISymmetricOperator @operator, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(@operator);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if ((long)offset + length > @operator.Dimension)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"The block [{offset}, {(long)offset + length}) reaches outside the {@operator.Dimension}-dimensional operator.");
        }

        return new BlockOperator(@operator, offset, length);
    }

    private sealed class NegatedOperator(ISymmetricOperator inner) : ISymmetricOperator
    {
        public int Dimension => inner.Dimension;

        public void Multiply(ReadOnlySpan<double> vector, Span<double> result)
        {
            inner.Multiply(vector, result);
            System.Numerics.Tensors.TensorPrimitives.Negate(result, result);
        }
    }

    private sealed class BlockOperator(ISymmetricOperator inner, int offset, int length) : ISymmetricOperator
    {
        public int Dimension => length;

        public void Multiply(ReadOnlySpan<double> vector, Span<double> result)
        {
            if (vector.Length != length || result.Length != length)
            {
                throw new ArgumentException($"The vectors have {vector.Length} and {result.Length} entries; the block's dimension is {length}.", nameof(vector));
            }

            var full = new double[inner.Dimension];
            var product = new double[inner.Dimension];
            vector.CopyTo(full.AsSpan(offset, length));
            inner.Multiply(full, product);
            product.AsSpan(offset, length).CopyTo(result);
        }
    }
}
