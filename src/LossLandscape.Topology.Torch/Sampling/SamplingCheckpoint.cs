using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LossLandscape.Topology.Torch.Sampling;

/// <summary>
/// An append-only file of finished points: a header (magic, a SHA-256 fingerprint of everything that decides
/// the values, the point count, the values per point, a checksum of the header) and then one record per point
/// (index, values, a checksum of the record). A run killed mid-write leaves at most a partial last record, which
/// is ignored and overwritten; anything else that does not check out (a flipped bit, a point recorded twice, a
/// truncated header) is refused with a message that says what is wrong.
/// </summary>
/// <remarks>The file is opened for exclusive use, so two processes cannot write one checkpoint at once.</remarks>
internal sealed class SamplingCheckpoint : IDisposable
{
    private const int ChecksumLength = 8;
    private static readonly byte[] Magic = "LLTCKP02"u8.ToArray();
    private readonly FileStream _stream;
    private readonly byte[] _fingerprint;
    private readonly byte[] _record;

    private SamplingCheckpoint(FileStream stream, byte[] fingerprint, int valuesPerPoint)
    {
        _stream = stream;
        _fingerprint = fingerprint;
        _record = new byte[RecordLength(valuesPerPoint)];
    }

    /// <summary>Opens (or creates) the checkpoint and marks the points it already holds.</summary>
    /// <exception cref="InvalidOperationException">
    /// The file belongs to a different run (other points, directions, model state or loss), is corrupt (the message
    /// says where), is not a checkpoint, or is in use by another process.
    /// </exception>
    public static SamplingCheckpoint Open(string path, byte[] fingerprint, int pointCount, int valuesPerPoint, double[] values, bool[] done)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InvalidOperationException($"The checkpoint '{path}' cannot be opened for exclusive use (another sampling run may be writing it): {e.Message}", e);
        }

        try
        {
            byte[] header = Header(fingerprint, pointCount, valuesPerPoint);
            if (stream.Length == 0)
            {
                stream.Write(header);
                stream.Flush(flushToDisk: true);
                return new SamplingCheckpoint(stream, fingerprint, valuesPerPoint);
            }

            ReadAndCheckHeader(stream, path, header);
            long recordLength = RecordLength(valuesPerPoint);
            long complete = (stream.Length - header.Length) / recordLength;
            var record = new byte[recordLength];
            for (long r = 0; r < complete; r++)
            {
                stream.ReadExactly(record);
                if (!Checksum(fingerprint, record.AsSpan(0, record.Length - ChecksumLength)).SequenceEqual(record.AsSpan(record.Length - ChecksumLength)))
                {
                    throw Corrupt(path, $"record {r} fails its checksum (a changed byte)");
                }

                int index = BinaryPrimitives.ReadInt32LittleEndian(record);
                if ((uint)index >= (uint)pointCount)
                {
                    throw Corrupt(path, $"record {r} names point {index} of {pointCount}");
                }

                if (done[index])
                {
                    throw Corrupt(path, $"record {r} holds point {index} a second time");
                }

                for (int v = 0; v < valuesPerPoint; v++)
                {
                    values[(index * valuesPerPoint) + v] = BinaryPrimitives.ReadDoubleLittleEndian(record.AsSpan(4 + (8 * v)));
                }

                done[index] = true;
            }

            stream.SetLength(header.Length + (complete * recordLength)); // drop a partial last record
            stream.Seek(0, SeekOrigin.End);
            return new SamplingCheckpoint(stream, fingerprint, valuesPerPoint);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Hashes the inputs that decide a run's values.</summary>
    public static byte[] Fingerprint(Action<BinaryWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("LossLandscape.Topology sampling v2");
            write(writer);
        }

        return SHA256.HashData(buffer.ToArray());
    }

    /// <summary>Appends a finished point and hands it to the operating system (it survives the process being killed).</summary>
    public void Append(int index, ReadOnlySpan<double> values)
    {
        Span<byte> record = _record;
        BinaryPrimitives.WriteInt32LittleEndian(record, index);
        for (int v = 0; v < values.Length; v++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(record[(4 + (8 * v))..], values[v]);
        }

        Checksum(_fingerprint, record[..^ChecksumLength]).CopyTo(record[^ChecksumLength..]);
        _stream.Write(record);
        _stream.Flush();
    }

    public void Dispose() => _stream.Dispose();

    private static int RecordLength(int valuesPerPoint) => 4 + (8 * valuesPerPoint) + ChecksumLength;

    private static byte[] Header(byte[] fingerprint, int pointCount, int valuesPerPoint)
    {
        var header = new byte[Magic.Length + fingerprint.Length + 8 + ChecksumLength];
        Magic.CopyTo(header, 0);
        fingerprint.CopyTo(header, Magic.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(Magic.Length + fingerprint.Length), pointCount);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(Magic.Length + fingerprint.Length + 4), valuesPerPoint);
        Checksum([], header.AsSpan(0, header.Length - ChecksumLength)).CopyTo(header.AsSpan(header.Length - ChecksumLength));
        return header;
    }

    private static void ReadAndCheckHeader(FileStream stream, string path, byte[] expected)
    {
        var found = new byte[Math.Min(stream.Length, expected.Length)];
        stream.ReadExactly(found);
        if (!found.AsSpan(0, Math.Min(found.Length, Magic.Length)).SequenceEqual(Magic.AsSpan(0, Math.Min(found.Length, Magic.Length))))
        {
            throw new InvalidOperationException($"'{path}' is not a sampling checkpoint of this version (it does not start with {System.Text.Encoding.ASCII.GetString(Magic)}). Delete it or choose another path.");
        }

        if (found.Length < expected.Length)
        {
            throw Corrupt(path, $"its header is truncated ({found.Length} of {expected.Length} bytes)");
        }

        if (!Checksum([], found.AsSpan(0, found.Length - ChecksumLength)).SequenceEqual(found.AsSpan(found.Length - ChecksumLength)))
        {
            throw Corrupt(path, "its header fails its checksum (a changed byte)");
        }

        if (!found.AsSpan().SequenceEqual(expected))
        {
            throw new InvalidOperationException(
                $"The checkpoint '{path}' was written by a different sampling run (other points, directions, centre, model parameters or buffers, train/eval mode, loss metrics or batch size). Delete it or choose another path.");
        }
    }

    private static byte[] Checksum(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        // SHA-256 of the run's fingerprint and the bytes, cut to 8 bytes: a record copied from another run fails too.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(key);
        hash.AppendData(data);
        return hash.GetHashAndReset()[..ChecksumLength];
    }

    private static InvalidOperationException Corrupt(string path, string what)
        => new($"The checkpoint '{path}' is corrupt: {what}. Delete it to start the run afresh.");
}
