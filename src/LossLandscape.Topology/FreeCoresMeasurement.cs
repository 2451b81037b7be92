using System.Diagnostics;

namespace LossLandscape.Topology;

/// <summary>
/// A measurement of the idle cores in progress (<see cref="ComputeThreads.StartMeasuring"/>): the machine's busy time
/// and this process's own CPU time at the start, compared with their values at <see cref="Finish"/>.
/// </summary>
public sealed class FreeCoresMeasurement
{
    private readonly long _busy;
    private readonly long _total;
    private readonly int _machineCores;
    private readonly long _own;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly bool _measurable;
    private int _reserved;

    internal FreeCoresMeasurement()
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessorCount == 1)
        {
            return;
        }

        try
        {
            (_busy, _total, _machineCores) = ComputeThreads.CpuTimes();
            _own = ComputeThreads.OwnCpuTime();
            _measurable = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // no /proc: every core counts as free
        }
    }

    /// <summary>
    /// The same measurement (same window, same start) with <paramref name="cores"/> cores left out of what it returns,
    /// for work this process starts beside it on cores of its own: the process's own CPU time never reads as busy, so
    /// such work has to be left out by count.
    /// </summary>
    internal FreeCoresMeasurement Reserving(int cores)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cores);
        var reserved = (FreeCoresMeasurement)MemberwiseClone();
        reserved._reserved = cores;
        return reserved;
    }

    /// <summary>The cores left out of what this measurement returns (<see cref="Reserving"/>).</summary>
    internal int Reserved => _reserved;

    /// <summary>The shortest window over which a quiet machine is believed (see <see cref="Finish"/>).</summary>
    private static readonly TimeSpan QuietWindow = TimeSpan.FromMilliseconds(30);

    /// <summary>
    /// Ends the window and returns the idle cores, counting a core that was idle for at least 30% of the window (at least
    /// 1, at most <see cref="Environment.ProcessorCount"/>). The window lasts at least <paramref name="minimumWindow"/>,
    /// unless every core reads idle over a window of at least 30 ms first: a CPU-bound process elsewhere shows as two or
    /// more busy 10 ms ticks in any such window, so a quiet machine is known early and a busy one is measured in full.
    /// This process's own CPU time in the window does not count as busy. Where it cannot be measured (not Linux, one
    /// core, no <c>/proc</c>), <see cref="Environment.ProcessorCount"/>. A measurement made for work beside other work of
    /// this process's returns the cores that work leaves (at least 1).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumWindow"/> is negative.</exception>
    public int Finish(TimeSpan minimumWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumWindow, TimeSpan.Zero);
        return Math.Max(1, IdleOrAllCores(minimumWindow) - _reserved);
    }

    private int IdleOrAllCores(TimeSpan minimumWindow)
    {
        int cores = Environment.ProcessorCount;
        if (!_measurable)
        {
            return cores;
        }

        try
        {
            while (true)
            {
                TimeSpan elapsed = Stopwatch.GetElapsedTime(_started);
                if (elapsed >= minimumWindow || elapsed >= QuietWindow)
                {
                    double idle = IdleCores();
                    if (elapsed >= minimumWindow || ReadsQuiet(idle, _machineCores))
                    {
                        return FreeOf(idle, cores);
                    }
                }

                TimeSpan wait = (elapsed < QuietWindow ? QuietWindow : minimumWindow) - elapsed;
                Thread.Sleep(wait < TimeSpan.FromMilliseconds(10) ? wait : TimeSpan.FromMilliseconds(10));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return cores;
        }
    }

    /// <summary>The cores idle since the start (<see cref="IdleCores(long, long, long, int)"/>).</summary>
    private double IdleCores()
    {
        (long busy, long total, _) = ComputeThreads.CpuTimes();
        return IdleCores(busy - _busy, ComputeThreads.OwnCpuTime() - _own, total - _total, _machineCores);
    }

    /// <summary>
    /// The idle cores of a window in which the machine's cores were busy for <paramref name="busy"/> ticks, this
    /// process for <paramref name="own"/> of them (left out), out of <paramref name="elapsed"/> ticks of all
    /// <paramref name="machineCores"/> cores (/proc/stat counts every core of the machine; .NET may be limited to fewer).
    /// </summary>
    internal static double IdleCores(long busy, long own, long elapsed, int machineCores)
        => elapsed <= 0 || machineCores == 0 ? Environment.ProcessorCount : machineCores * (1 - ((double)(busy - Math.Max(0, own)) / elapsed));

    /// <summary>
    /// The free cores of <paramref name="idle"/> idle ones, at least 1 and at most <paramref name="cores"/>. A core counts
    /// when at least 30% of it was idle: another CPU-bound process keeps its core (its share reads 0.9–1.1 of a core in
    /// 10 ms ticks over 100 ms), while a burst of system work (disk write-back, a process starting) that takes part of a
    /// core for part of the window does not halve the run's threads.
    /// </summary>
    internal static int FreeOf(double idle, int cores) => Math.Clamp((int)Math.Floor(idle + 0.7), 1, cores);

    /// <summary>Whether every core reads idle, within 0.3 of a core: a quiet machine, believed before the full window.</summary>
    internal static bool ReadsQuiet(double idle, int machineCores) => idle >= machineCores - 0.3;
}
