namespace LossLandscape.Topology.Ordering;

/// <summary>
/// Stable least-significant-digit radix argsort of 64-bit keys, 11 bits a pass. Because it is stable and the
/// order starts as 0, 1, …, N − 1, equal keys end up ordered by index: the (value, index) order that
/// simulation of simplicity asks for, independent of threads or timing.
/// </summary>
internal static class RadixArgsort
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;
    private const int Passes = (64 + DigitBits - 1) / DigitBits;

    /// <summary>
    /// Sorts <paramref name="keys"/> and writes the permutation into <paramref name="order"/>
    /// (order[r] = index of the r-th smallest key). Both scratch spans must be as long as the keys; on return
    /// the sorted keys and the order are in <paramref name="keys"/> and <paramref name="order"/>.
    /// </summary>
    public static void Sort(Span<ulong> keys, Span<ulong> keyScratch, Span<int> order, Span<int> orderScratch)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        SortCarrying(keys, keyScratch, order, orderScratch);
    }

    /// <summary>
    /// Sorts <paramref name="keys"/> and permutes <paramref name="payload"/> along (stable: equal keys keep the
    /// payload's order); on return both are in <paramref name="keys"/> and <paramref name="payload"/>.
    /// </summary>
    public static void SortCarrying(Span<ulong> keys, Span<ulong> keyScratch, Span<int> payload, Span<int> payloadScratch)
    {
        Span<int> order = payload;
        Span<int> orderScratch = payloadScratch;
        int n = keys.Length;
        int[] histograms = new int[Passes * Buckets];
        for (int i = 0; i < n; i++)
        {
            ulong k = keys[i];
            for (int p = 0; p < Passes; p++)
            {
                histograms[(p * Buckets) + (int)((k >> (p * DigitBits)) & (Buckets - 1))]++;
            }
        }

        Span<ulong> sourceKeys = keys;
        Span<ulong> targetKeys = keyScratch;
        Span<int> sourceOrder = order;
        Span<int> targetOrder = orderScratch;
        for (int p = 0; p < Passes; p++)
        {
            Span<int> histogram = histograms.AsSpan(p * Buckets, Buckets);
            if (IsSingleBucket(histogram, n))
            {
                continue; // every key has the same digit here: the pass would not move anything
            }

            int sum = 0;
            for (int b = 0; b < Buckets; b++)
            {
                int c = histogram[b];
                histogram[b] = sum;
                sum += c;
            }

            int shift = p * DigitBits;
            for (int i = 0; i < n; i++)
            {
                ulong k = sourceKeys[i];
                int slot = histogram[(int)((k >> shift) & (Buckets - 1))]++;
                targetKeys[slot] = k;
                targetOrder[slot] = sourceOrder[i];
            }

            Span<ulong> tk = sourceKeys;
            sourceKeys = targetKeys;
            targetKeys = tk;
            Span<int> to = sourceOrder;
            sourceOrder = targetOrder;
            targetOrder = to;
        }

        if (sourceOrder != order)
        {
            sourceKeys.CopyTo(keys);
            sourceOrder.CopyTo(order);
        }
    }

    private static bool IsSingleBucket(ReadOnlySpan<int> histogram, int n)
    {
        for (int b = 0; b < histogram.Length; b++)
        {
            if (histogram[b] != 0)
            {
                return histogram[b] == n;
            }
        }

        return true;
    }
}
