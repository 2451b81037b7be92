namespace LossLandscape.Topology.Spectra;

/// <summary>
/// A symmetric linear operator known only through products with vectors — a Hessian, through Hessian-vector
/// products, or an explicit matrix. The spectral algorithms (<see cref="SpectralAnalyzer"/>) see nothing else, so
/// they run, and are checked, on explicit matrices without any tensor library.
/// </summary>
public interface ISymmetricOperator
{
    /// <summary>The dimension n (the operator is n × n).</summary>
    int Dimension { get; }

    /// <summary>Writes A·<paramref name="vector"/> into <paramref name="result"/>.</summary>
    /// <exception cref="ArgumentException">A span's length differs from <see cref="Dimension"/>.</exception>
    void Multiply(ReadOnlySpan<double> vector, Span<double> result);
}
