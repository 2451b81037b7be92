namespace LossLandscape.Topology.Spectra;

/// <summary>
/// Passes products through and refuses a non-finite one: a single NaN from a loss that overflowed would
/// otherwise reach MathNet's eigen-solver (which fails with an index error) or turn a trace into NaN silently.
/// </summary>
internal sealed class FiniteProductOperator(ISymmetricOperator inner) : ISymmetricOperator
{
    private long _products;

    public int Dimension => inner.Dimension;

    public void Multiply(ReadOnlySpan<double> vector, Span<double> result)
    {
        inner.Multiply(vector, result);
        long product = ++_products;
        for (int i = 0; i < result.Length; i++)
        {
            if (!double.IsFinite(result[i]))
            {
                throw new NotFiniteNumberException(
                    $"Operator product {product} is {result[i]} at entry {i}: the operator (the loss or its gradient, for a Hessian) is not finite here.",
                    result[i]);
            }
        }
    }
}
