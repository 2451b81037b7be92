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
        if (keys.Length >= TopDigitFrom)
        {
            SortByTopDigitFirst(keys, keyScratch, payload, payloadScratch);
            return;
        }

        SortLowDigits(keys, keyScratch, payload, payloadScratch, new int[Passes * Buckets]);
    }

    /// <summary>From this many keys the top digit goes first (<see cref="SortByTopDigitFirst"/>).</summary>
    private const int TopDigitFrom = 1 << 17;

    /// <summary>
    /// For inputs larger than the caches: one stable counting pass on the top varying digit (the 11 bits from the
    /// highest bit in which any two keys differ), then each bucket sorted on its own with the digit passes below, inside
    /// the caches. Six passes that scatter over the whole input become one; the result is the same stable order.
    /// </summary>
    private static void SortByTopDigitFirst(Span<ulong> keys, Span<ulong> keyScratch, Span<int> payload, Span<int> payloadScratch)
    {
        int n = keys.Length;
        ulong low = System.Numerics.Tensors.TensorPrimitives.Min<ulong>(keys), high = System.Numerics.Tensors.TensorPrimitives.Max<ulong>(keys);
        if (low == high)
        {
            return; // every key equal: already in order
        }

        int shift = Math.Max(0, 63 - System.Numerics.BitOperations.LeadingZeroCount(low ^ high) - (DigitBits - 1));
        int[] start = new int[Buckets + 1];
        foreach (ulong key in keys)
        {
            start[(int)((key >> shift) & (Buckets - 1)) + 1]++;
        }

        for (int b = 0; b < Buckets; b++)
        {
            start[b + 1] += start[b];
        }

        int[] next = start[..Buckets];
        for (int i = 0; i < n; i++)
        {
            ulong key = keys[i];
            int slot = next[(int)((key >> shift) & (Buckets - 1))]++;
            keyScratch[slot] = key;
            payloadScratch[slot] = payload[i];
        }

        // Each bucket agrees on every bit from the shift up; the passes below sort it, and the input spans, free now,
        // serve as their scratch. The histograms are cleared per bucket, for the passes the shift leaves only.
        int[] histograms = new int[Passes * Buckets];
        for (int b = 0; b < Buckets; b++)
        {
            int from = start[b], count = start[b + 1] - from;
            if (count > 1 && shift > 0)
            {
                SortLowDigits(keyScratch.Slice(from, count), keys.Slice(from, count), payloadScratch.Slice(from, count), payload.Slice(from, count), histograms, (shift + DigitBits - 1) / DigitBits);
            }
        }

        keyScratch.CopyTo(keys);
        payloadScratch.CopyTo(payload);
    }

    /// <summary>The least-significant-digit passes (the first <paramref name="passes"/> of them), skipping any in which every key has the same digit.</summary>
    private static void SortLowDigits(Span<ulong> keys, Span<ulong> keyScratch, Span<int> payload, Span<int> payloadScratch, int[] histograms, int passes = Passes)
    {
        Span<int> order = payload;
        Span<int> orderScratch = payloadScratch;
        int n = keys.Length;
        histograms.AsSpan(0, passes * Buckets).Clear();
        for (int i = 0; i < n; i++)
        {
            ulong k = keys[i];
            for (int p = 0; p < passes; p++)
            {
                histograms[(p * Buckets) + (int)((k >> (p * DigitBits)) & (Buckets - 1))]++;
            }
        }

        Span<ulong> sourceKeys = keys;
        Span<ulong> targetKeys = keyScratch;
        Span<int> sourceOrder = order;
        Span<int> targetOrder = orderScratch;
        for (int p = 0; p < passes; p++)
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
