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
        using var small = new HugePageBuffer<long>(100); // plain memory of its own size
        small.Span.Fill(7);
        Assert.That(small.Span.ToArray().Sum(), Is.EqualTo(700));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new HugePageBuffer<int>(-1))!.ParamName, Is.EqualTo("length"));
    }

    [Test]
    public void CanAdviseTheManagedHeapsReservationOnLinux()
    {
        // Every .NET process on Linux reserves its managed heap's address range as one large anonymous mapping.
        if (!OperatingSystem.IsLinux())
        {
            Assert.That(HugePages.AdviseLargeReservations(), Is.Zero, "nothing elsewhere");
            return;
        }

        Assert.That(HugePages.AdviseLargeReservations(), Is.GreaterThanOrEqualTo(1), "the managed heap's reservation");
        Assert.That(HugePages.AdviseLargeReservations(long.MaxValue), Is.Zero, "no mapping is that large");
        var array = new double[1 << 22]; // 32 MB in the advised range: still ordinary memory to the program
        array[^1] = 1;
        Assert.That(array.Sum(), Is.EqualTo(1));
    }
}
