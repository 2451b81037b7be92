using System.Globalization;

namespace LossLandscape.Topology;

/// <summary>
/// How many compute threads a run should use: never more than the cores that are free. An explicit count wins; then
/// <c>OMP_NUM_THREADS</c>; then the cores not busy with other work right now. On a shared machine, a laptop or a
/// cluster node running other jobs, more threads than free cores make OpenMP's spinning workers (libtorch's) fight
/// the other work for the same cores, which on 2 cores made a study 20 times slower.
/// </summary>
public static class ComputeThreads
{
    /// <summary>
    /// The thread count: <paramref name="requested"/> when given, else <c>OMP_NUM_THREADS</c> when it is a positive
    /// whole number, else <see cref="FreeCores"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="requested"/> is less than 1.</exception>
    public static int Choose(int? requested = null) => Choose(requested, static () => FreeCores());

    /// <summary>
    /// The window over which <see cref="Choose(int?, FreeCoresMeasurement)"/> and <see cref="FreeCores"/> measure a busy
    /// machine, 100 ms: Linux counts CPU time in 10 ms ticks per core, so a shorter window misreads a busy core often
    /// enough to halve a run's threads. A machine whose every core reads idle is believed after 30 ms
    /// (<see cref="FreeCoresMeasurement.Finish"/>).
    /// </summary>
    public static TimeSpan MeasurementWindow { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The thread count as <see cref="Choose(int?)"/> decides it, with the free cores taken from
    /// <paramref name="measurement"/>: a program that starts measuring before it loads its input pays only for the part
    /// of <see cref="MeasurementWindow"/> the loading did not cover.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="requested"/> is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="measurement"/> is null.</exception>
    public static int Choose(int? requested, FreeCoresMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        return Choose(requested, () => measurement.Finish(MeasurementWindow), measurement.Reserved);
    }

    /// <summary><paramref name="requested"/>, else <c>OMP_NUM_THREADS</c> less the <paramref name="reserved"/> cores (other work of this process's), else <paramref name="freeCores"/> (which leaves them out itself).</summary>
    private static int Choose(int? requested, Func<int> freeCores, int reserved = 0)
    {
        if (requested is int count)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(requested));
            return count;
        }

        return OmpNumThreads() is int omp ? Math.Max(1, omp - reserved) : freeCores();
    }

    /// <summary>
    /// The cores .NET may use that are idle now: on Linux, measured from <c>/proc/stat</c> over
    /// <paramref name="window"/> (<see cref="MeasurementWindow"/> by default; less on a machine whose every core reads
    /// idle), a core counting when at least 30% of it was idle, and at least 1; elsewhere, or
    /// when the file cannot be read, <see cref="Environment.ProcessorCount"/>. The calling process's own work during the
    /// window does not count as busy, so a program may measure while it loads its input.
    /// </summary>
    public static int FreeCores(TimeSpan? window = null) => StartMeasuring().Finish(window ?? MeasurementWindow);

    /// <summary>
    /// Starts measuring the free cores now; <see cref="FreeCoresMeasurement.Finish"/> ends the window and returns them
    /// (as <see cref="FreeCores"/> does), so the window can cover work such as loading the input.
    /// </summary>
    public static FreeCoresMeasurement StartMeasuring() => new();

    internal static int? OmpNumThreads()
        => int.TryParse(Environment.GetEnvironmentVariable("OMP_NUM_THREADS"), NumberStyles.None, CultureInfo.InvariantCulture, out int omp) && omp > 0
            ? omp
            : null;

    /// <summary>User and system jiffies this process has used (fields 14 and 15 of /proc/self/stat, after the command name).</summary>
    internal static long OwnCpuTime()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Busy and total jiffies of all cores (the first line of /proc/stat: user nice system idle iowait irq softirq
    /// steal …) and the machine's core count (its cpuN lines).
    /// </summary>
    internal static (long Busy, long Total, int Cores) CpuTimes()
    {
        string[] lines = File.ReadAllLines("/proc/stat");
        long[] fields = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        long idle = fields[3] + fields[4];
        long total = fields.Sum();
        int machine = lines.Count(l => l.StartsWith("cpu", StringComparison.Ordinal) && l.Length > 3 && char.IsAsciiDigit(l[3]));
        return (total - idle, total, machine);
    }
}
