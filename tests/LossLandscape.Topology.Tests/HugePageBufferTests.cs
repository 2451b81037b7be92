namespace LossLandscape.Topology.Tests;

/// <summary>The native buffer behind the dual sweep's union-find: aligned, writable end to end, freed once.</summary>
public class HugePageBufferTests
{
    [Test]
    public unsafe void CanHoldWhatIsWrittenAcrossHugePagesAndRefuseUseAfterDispose()
    {
        var buffer = new HugePageBuffer<int>(3_000_000); // 12 MB: six 2 MiB pages
        try
        {
            Assert.That((ulong)buffer.Pointer % (2 << 20), Is.EqualTo(0UL), "aligned to a huge page");
            Span<int> span = buffer.Span;
            Assert.That(span.Length, Is.EqualTo(3_000_000));
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = i ^ 0x5A5A;
            }

            long mismatches = 0;
            for (int i = 0; i < span.Length; i++)
            {
                mismatches += span[i] != (i ^ 0x5A5A) ? 1 : 0;
            }

            Assert.That(mismatches, Is.Zero);
        }
        finally
        {
            buffer.Dispose();
        }

        Assert.Throws<ObjectDisposedException>(() => _ = buffer.Span.Length);
        buffer.Dispose(); // twice is harmless
        using var empty = new HugePageBuffer<double>(0);
        Assert.That(empty.Span.IsEmpty, Is.True);
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new HugePageBuffer<int>(-1))!.ParamName, Is.EqualTo("length"));
    }
}
