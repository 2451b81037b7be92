using LossLandscape.Topology.CommandLine;
using System.Globalization;

namespace LossLandscape.Topology.Cli;

/// <summary>The persistence pairs of <c>llt analyze --pairs</c>: CSV (<c>birth,death</c>) or, for <c>.json</c>, the JSON array stdout would hold.</summary>
internal static class PairsFile
{
    /// <summary>Pairs formatted per block: each block's bytes are made on any thread, then written in order.</summary>
    private const int BlockPairs = 1 << 15;

    public static void Write(string path, (double Birth, double Death)[] pairs, int threads = 1)
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

            // Shortest round-trip formatting costs far more than the disk: half a million pairs take a third of a
            // second on one core. Blocks are formatted in parallel, a window of them at a time, and written in order.
            int blocks = (pairs.Length + BlockPairs - 1) / BlockPairs;
            int window = Math.Max(1, threads) * 2;
            var formatted = new byte[window][];
            var lengths = new int[window];
            for (int first = 0; first < blocks; first += window)
            {
                int count = Math.Min(window, blocks - first);
                Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, b =>
                    lengths[b] = Format(pairs, (first + b) * BlockPairs, Math.Min(pairs.Length, (first + b + 1) * BlockPairs), json, ref formatted[b]));
                for (int b = 0; b < count; b++)
                {
                    stream.Write(formatted[b], 0, lengths[b]);
                }
            }

            stream.Write(json ? "]\n"u8 : ""u8);
        }
    }

    /// <summary>Formats pairs [start, end) as UTF-8 into <paramref name="buffer"/> (grown as needed); returns the byte count.</summary>
    private static int Format((double Birth, double Death)[] pairs, int start, int end, bool json, ref byte[] buffer)
    {
        // A pair is at most 2 × 24 bytes of digits plus 5 of punctuation.
        int needed = (end - start) * 56;
        if (buffer is null || buffer.Length < needed)
        {
            buffer = new byte[needed];
        }

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
