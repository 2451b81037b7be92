using System.Runtime.InteropServices;

namespace LossLandscape.Topology;

/// <summary>
/// Native memory for an array that is read at random all over, such as a union-find over a whole grid: aligned to
/// 2 MiB and, on Linux, advised as transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>, which kernels configured
/// for <c>madvise</c> need before they back memory with huge pages). Scattered reads over tens of MB then miss the
/// TLB far less often, and the first touch faults 2 MiB at a time instead of 4 KiB. Elsewhere, or where the advice
/// is refused, it is plain aligned memory. Below 4 MiB (a small grid, which the caches hold anyway) it is plain
/// memory of its own size, so that a small array never costs a zeroed 2 MiB page. The contents start undefined;
/// <see cref="Dispose"/> frees them.
/// </summary>
/// <typeparam name="T">An unmanaged element type.</typeparam>
internal sealed unsafe class HugePageBuffer<T> : IDisposable
    where T : unmanaged
{
    private const nuint HugePage = 2 << 20;
    private const nuint SmallestAdvised = 2 * HugePage;
    private T* _pointer;

    /// <summary>Allocates <paramref name="length"/> elements.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public HugePageBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        nuint bytes = (nuint)length * (nuint)sizeof(T);
        if (bytes < SmallestAdvised)
        {
            _pointer = (T*)NativeMemory.AlignedAlloc(Math.Max(bytes, 1), 64); // a cache line: nothing to gain from more
            return;
        }

        bytes = (bytes + HugePage - 1) / HugePage * HugePage;
        _pointer = (T*)NativeMemory.AlignedAlloc(bytes, HugePage);
        HugePages.Advise(_pointer, bytes);
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>The first element; valid until <see cref="Dispose"/>.</summary>
    public T* Pointer => _pointer is null ? throw new ObjectDisposedException(nameof(HugePageBuffer<T>)) : _pointer;

    /// <summary>The elements; valid until <see cref="Dispose"/>.</summary>
    public Span<T> Span => new(Pointer, Length);

    /// <inheritdoc/>
    public void Dispose()
    {
        NativeMemory.AlignedFree(_pointer);
        _pointer = null;
    }
}

/// <summary>The <c>madvise</c> call behind <see cref="HugePageBuffer{T}"/> (a P/Invoke cannot sit in a generic type).</summary>
internal static unsafe partial class HugePages
{
    private const int MadviseHugePage = 14;

    /// <summary>Asks Linux to back <paramref name="bytes"/> from <paramref name="address"/> (2 MiB-aligned) with huge pages; a hint, silently refused elsewhere.</summary>
    public static void Advise(void* address, nuint bytes)
    {
        if (!OperatingSystem.IsLinux() || bytes == 0)
        {
            return;
        }

        try
        {
            _ = Madvise(address, bytes, MadviseHugePage); // a refusal leaves ordinary pages
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // a C library without madvise: ordinary pages
        }
    }

    /// <summary>
    /// Asks Linux to back this process's large anonymous reservations (the managed heap's address range, at least
    /// <paramref name="minimumBytes"/> each, as <c>/proc/self/maps</c> lists them) with huge pages where the kernel
    /// gives them only on request (<c>transparent_hugepage</c> set to <c>madvise</c>). Memory committed later in the
    /// range inherits the advice. A process-wide choice, for a program to make at its start (as <c>llt</c> does),
    /// never a library's; on other systems, or where the file cannot be read, nothing happens. Returns the ranges
    /// advised.
    /// </summary>
    public static int AdviseLargeReservations(long minimumBytes = 1L << 30)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        int advised = 0;
        try
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                // "start-end perms offset dev inode [path]": anonymous when the inode is 0 and no path follows.
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length != 5 || fields[4] != "0")
                {
                    continue;
                }

                int dash = fields[0].IndexOf('-', StringComparison.Ordinal);
                ulong start = ulong.Parse(fields[0].AsSpan(0, dash), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                ulong end = ulong.Parse(fields[0].AsSpan(dash + 1), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                if ((long)(end - start) >= minimumBytes)
                {
                    Advise((void*)start, (nuint)(end - start));
                    advised++;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            // no readable map: ordinary pages
        }

        return advised;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
