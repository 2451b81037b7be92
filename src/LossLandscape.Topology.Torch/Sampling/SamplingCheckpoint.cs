using System.Security.Cryptography;

namespace LossLandscape.Topology.Torch.Sampling;

/// <summary>
/// An append-only file of finished points: a header (magic, a SHA-256 fingerprint of everything that decides
/// the values, the point count, the values per point) and then one record per point (index, values). A run
/// killed mid-write leaves at most a partial last record, which is ignored and overwritten.
/// </summary>
internal sealed class SamplingCheckpoint : IDisposable
{
    private static readonly byte[] Magic = "LLTCKP01"u8.ToArray();
    private readonly FileStream _stream;
    private readonly BinaryWriter _writer;

    private SamplingCheckpoint(FileStream stream)
    {
        _stream = stream;
        _writer = new BinaryWriter(stream);
    }

    /// <summary>Opens (or creates) the checkpoint and marks the points it already holds.</summary>
    /// <exception cref="InvalidOperationException">The file belongs to a different run (other points, directions, model or loss).</exception>
    public static SamplingCheckpoint Open(string path, byte[] fingerprint, int pointCount, int valuesPerPoint, double[] values, bool[] done)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            long headerLength = Magic.Length + fingerprint.Length + 8;
            long recordLength = 4 + (8L * valuesPerPoint);
            if (stream.Length == 0)
            {
                var header = new BinaryWriter(stream);
                header.Write(Magic);
                header.Write(fingerprint);
                header.Write(pointCount);
                header.Write(valuesPerPoint);
                header.Flush();
                return new SamplingCheckpoint(stream);
            }

            var reader = new BinaryReader(stream);
            bool matches = stream.Length >= headerLength
                && reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)
                && reader.ReadBytes(fingerprint.Length).AsSpan().SequenceEqual(fingerprint)
                && reader.ReadInt32() == pointCount
                && reader.ReadInt32() == valuesPerPoint;
            if (!matches)
            {
                throw new InvalidOperationException(
                    $"The checkpoint '{path}' was written by a different sampling run (other points, directions, centre, model parameters, loss metrics or batch size). Delete it or choose another path.");
            }

            long complete = (stream.Length - headerLength) / recordLength;
            for (long r = 0; r < complete; r++)
            {
                int index = reader.ReadInt32();
                if ((uint)index >= (uint)pointCount)
                {
                    throw new InvalidOperationException($"The checkpoint '{path}' is corrupt: record {r} names point {index} of {pointCount}.");
                }

                for (int v = 0; v < valuesPerPoint; v++)
                {
                    values[(index * valuesPerPoint) + v] = reader.ReadDouble();
                }

                done[index] = true;
            }

            stream.SetLength(headerLength + (complete * recordLength)); // drop a partial last record
            stream.Seek(0, SeekOrigin.End);
            return new SamplingCheckpoint(stream);
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
            writer.Write("LossLandscape.Topology sampling v1");
            write(writer);
        }

        return SHA256.HashData(buffer.ToArray());
    }

    /// <summary>Appends a finished point and hands it to the operating system (it survives the process being killed).</summary>
    public void Append(int index, ReadOnlySpan<double> values)
    {
        _writer.Write(index);
        foreach (double v in values)
        {
            _writer.Write(v);
        }

        _writer.Flush();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}
