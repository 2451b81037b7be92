namespace LossLandscape.Topology.Persistence;

/// <summary>
/// A persistence threshold: pairs with persistence strictly below it are removed by simplification.
/// Either absolute (in loss units) or relative to the range (max − min) of the finite values.
/// </summary>
public readonly record struct PersistenceThreshold
{
    private PersistenceThreshold(double value, bool isRelative)
    {
        if (double.IsNaN(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A persistence threshold must be zero or positive.");
        }

        Value = value;
        IsRelative = isRelative;
    }

    /// <summary>The threshold as given.</summary>
    public double Value { get; }

    /// <summary>True when <see cref="Value"/> is a fraction of the value range.</summary>
    public bool IsRelative { get; }

    /// <summary>Pairs with persistence below <paramref name="value"/> (loss units) are removed.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative or NaN.</exception>
    public static PersistenceThreshold Absolute(double value) => new(value, false);

    /// <summary>
    /// Pairs with persistence below <paramref name="fraction"/> × (max − min) of the finite values are removed
    /// (TTK's default, 0.01 to 0.05, is a common choice).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is negative or NaN.</exception>
    public static PersistenceThreshold Relative(double fraction) => new(fraction, true);

    /// <summary>The absolute threshold for values spanning [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    internal double Resolve(double minimum, double maximum)
        => IsRelative ? Value * (double.IsFinite(maximum - minimum) ? maximum - minimum : 0) : Value;
}
