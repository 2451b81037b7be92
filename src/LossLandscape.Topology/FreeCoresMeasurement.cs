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
    /// Ends the window, first waiting until it is at least <paramref name="minimumWindow"/> long, and returns the idle
    /// cores, counting a core that was idle for at least 30% of the window (at least 1, at most
    /// <see cref="Environment.ProcessorCount"/>). This
    /// process's own CPU time in the window does not count as busy. Where it cannot be measured (not Linux, one core,
    /// no <c>/proc</c>), <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumWindow"/> is negative.</exception>
    public int Finish(TimeSpan minimumWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumWindow, TimeSpan.Zero);
        int cores = Environment.ProcessorCount;
        if (!_measurable)
        {
            return cores;
        }

        TimeSpan remaining = minimumWindow - Stopwatch.GetElapsedTime(_started);
        if (remaining > TimeSpan.Zero)
        {
            Thread.Sleep(remaining);
        }

        try
        {
            (long busy, long total, _) = ComputeThreads.CpuTimes();
            busy -= Math.Max(0, ComputeThreads.OwnCpuTime() - _own);
            long elapsed = total - _total;
            if (elapsed <= 0 || _machineCores == 0)
            {
                return cores;
            }

            // /proc/stat counts every core of the machine; .NET may be limited to fewer (affinity, a cgroup quota). A core
            // counts as free when at least 30% of it was idle: another CPU-bound process keeps its core (its share reads
            // 0.9–1.1 of a core in 10 ms ticks), while a burst of system work (disk write-back, a process starting) that
            // takes part of a core for part of the window does not halve the run's threads.
            double idle = _machineCores * (1 - ((double)(busy - _busy) / elapsed));
            return Math.Clamp((int)Math.Floor(idle + 0.7), 1, cores);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return cores;
        }
    }
}
