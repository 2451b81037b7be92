namespace LossLandscape.Topology;

/// <summary>How every computation that accepted NaN (<see cref="NaNHandling.TreatAsPositiveInfinity"/>) reads a value.</summary>
internal static class NaNAsInfinity
{
    /// <summary><paramref name="value"/>, or +∞ for NaN.</summary>
    public static double Read(double value) => double.IsNaN(value) ? double.PositiveInfinity : value;
}
