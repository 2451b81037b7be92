using System.Runtime.CompilerServices;

namespace LossLandscape.Topology.Ordering;

/// <summary>
/// Maps doubles to unsigned 64-bit integers whose unsigned order is the numeric order of the doubles
/// (−∞ &lt; negatives &lt; −0 = +0 &lt; positives &lt; +∞), so vertices can be radix-sorted on integer keys.
/// </summary>
internal static class SortableKeys
{
    private const ulong SignBit = 0x8000_0000_0000_0000UL;

    /// <summary>The key of a non-NaN double; −0 and +0 share a key, as they compare equal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FromDouble(double value)
    {
        // Adding +0.0 turns −0.0 into +0.0 and leaves every other value unchanged.
        ulong bits = BitConverter.DoubleToUInt64Bits(value + 0.0);
        ulong mask = (ulong)((long)bits >> 63) | SignBit;
        return bits ^ mask;
    }

    /// <summary>The double whose key is <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble(ulong key)
    {
        ulong mask = (key & SignBit) != 0 ? SignBit : ulong.MaxValue;
        return BitConverter.UInt64BitsToDouble(key ^ mask);
    }

    /// <summary>
    /// Fills <paramref name="keys"/> with the key of each value, mapping NaN to +∞ or reporting the first NaN.
    /// </summary>
    /// <returns>The index of the first NaN, or −1 when there is none (or NaN is mapped to +∞).</returns>
    public static int Fill(ReadOnlySpan<double> values, Span<ulong> keys, NaNHandling nanHandling)
    {
        ulong infinityKey = FromDouble(double.PositiveInfinity);
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (double.IsNaN(v))
            {
                if (nanHandling == NaNHandling.Throw)
                {
                    return i;
                }

                keys[i] = infinityKey;
                continue;
            }

            keys[i] = FromDouble(v);
        }

        return -1;
    }
}
