using System.Globalization;

namespace LossLandscape.Topology.IO;

/// <summary>
/// Numbers in the library's text files (CSV, VTK XML): shortest round-trip form in the invariant culture, and
/// <c>nan</c>, <c>inf</c>, <c>-inf</c> for the non-finite values, the spelling NumPy, pandas and VTK read. The
/// default format is the shortest round-trip form (as "R" is since .NET Core 3.0, which reaches the same digits slower).
/// </summary>
internal static class TextNumbers
{
    public static string Format(double v)
        => double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads what <see cref="Format"/> writes, plus the other spellings of ±∞ that Python writes.</summary>
    public static bool TryParse(string text, out double value)
    {
        string t = text.Trim();
        switch (t.ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-infinity":
                value = double.NegativeInfinity;
                return true;
            case "nan":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
