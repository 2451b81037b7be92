using LossLandscape.Topology.CommandLine;
using System.Globalization;

namespace LossLandscape.Topology.Cli;

/// <summary>The persistence pairs of <c>llt analyze --pairs</c>: CSV (<c>birth,death</c>) or, for <c>.json</c>, the JSON array stdout would hold.</summary>
internal static class PairsFile
{
    /// <summary>Pairs formatted per block: each block's bytes are made on any thread, then written in order.</summary>
    private const int BlockPairs = 1 << 15;

    /// <summary>
    /// Writes the pairs to <paramref name="path"/> on <paramref name="threads"/> threads. <paramref name="alongside"/>,
    /// when given, runs first on the calling thread while the other threads format; the calling thread then formats too.
    /// </summary>
    public static void Write(string path, (double Birth, double Death)[] pairs, int threads = 1, Action? alongside = null)
    {
        bool json = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        }
        catch (DirectoryNotFoundException)
        {
            throw new UsageException($"--pairs {path}: the folder does not exist");
        }

        using (stream)
        {
            stream.Write(json ? "["u8 : "birth,death\n"u8);

            // Shortest round-trip formatting costs far more than the disk: half a million pairs take a fifth of a
            // second on one core. Blocks are claimed one at a time by every thread, and whichever thread finishes a
            // block writes out every block that is ready in order; so only the blocks formatted ahead of the writing
            // are held at once.
            int blocks = (pairs.Length + BlockPairs - 1) / BlockPairs;
            var formatted = new byte[blocks][];
            var lengths = new int[blocks];
            int claimed = -1, written = 0;
            Exception? failure = null;
            void Work()
            {
                for (int b; (b = Interlocked.Increment(ref claimed)) < blocks && failure is null;)
                {
                    try
                    {
                        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Min(pairs.Length - (b * BlockPairs), BlockPairs) * MaxPairBytes);
                        lengths[b] = Format(pairs, b * BlockPairs, Math.Min(pairs.Length, (b + 1) * BlockPairs), json, buffer);
                        lock (formatted)
                        {
                            formatted[b] = buffer;
                            for (; written < blocks && formatted[written] is { } ready; written++)
                            {
                                stream.Write(ready, 0, lengths[written]);
                                System.Buffers.ArrayPool<byte>.Shared.Return(ready);
                                formatted[written] = [];
                            }
                        }
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                    }
                }
            }

            Task[] helpers = [.. Enumerable.Range(1, Math.Max(1, threads) - 1).Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
            try
            {
                alongside?.Invoke();
                Work();
            }
            finally
            {
                Task.WaitAll(helpers); // they never throw: failures are kept
            }

            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }

            stream.Write(json ? "]\n"u8 : ""u8);
        }
    }

    /// <summary>A pair's most bytes: two numbers of at most 24 bytes and 5 of punctuation.</summary>
    private const int MaxPairBytes = 56;

    /// <summary>Formats pairs [start, end) as UTF-8 into <paramref name="buffer"/> (at least <see cref="MaxPairBytes"/> a pair); returns the byte count.</summary>
    private static int Format((double Birth, double Death)[] pairs, int start, int end, bool json, byte[] buffer)
    {
        Span<byte> span = buffer;
        int used = 0;
        for (int i = start; i < end; i++)
        {
            if (json)
            {
                Append(span, ref used, i > 0 ? ",["u8 : "["u8);
                Number(span, ref used, pairs[i].Birth, json);
                Append(span, ref used, ","u8);
                Number(span, ref used, pairs[i].Death, json);
                Append(span, ref used, "]"u8);
            }
            else
            {
                Number(span, ref used, pairs[i].Birth, json);
                Append(span, ref used, ","u8);
                Number(span, ref used, pairs[i].Death, json);
                Append(span, ref used, "\n"u8);
            }
        }

        return used;
    }

    private static void Append(Span<byte> buffer, ref int used, ReadOnlySpan<byte> text)
    {
        text.CopyTo(buffer[used..]);
        used += text.Length;
    }

    /// <summary>
    /// Shortest round-trip form; ±∞ as NumPy and pandas read them in CSV ("inf", "-inf"), as the summary writes them
    /// in JSON (quoted: JSON has no literal for them).
    /// </summary>
    private static void Number(Span<byte> buffer, ref int used, double value, bool json)
    {
        if (double.IsInfinity(value))
        {
            Append(buffer, ref used, value > 0 ? (json ? "\"Infinity\""u8 : "inf"u8) : (json ? "\"-Infinity\""u8 : "-inf"u8));
            return;
        }

        // The default format is the shortest round-trip form, as "R" is since .NET Core 3.0, but a third faster: "R"
        // still takes a slower path to the same digits.
        value.TryFormat(buffer[used..], out int written, provider: CultureInfo.InvariantCulture);
        used += written;
    }
}
