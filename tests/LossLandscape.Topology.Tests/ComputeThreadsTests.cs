namespace LossLandscape.Topology.Tests;

/// <summary>Never more compute threads than free cores: the explicit count, then OMP_NUM_THREADS, then the idle cores.</summary>
[NonParallelizable] // sets OMP_NUM_THREADS for the process
public class ComputeThreadsTests
{
    [Test]
    public void CanPreferTheRequestedCountThenOmpNumThreadsThenTheFreeCores()
    {
        string? saved = Environment.GetEnvironmentVariable("OMP_NUM_THREADS");
        try
        {
            Environment.SetEnvironmentVariable("OMP_NUM_THREADS", "3");
            Assert.That(ComputeThreads.Choose(5), Is.EqualTo(5), "an explicit count wins");
            Assert.That(ComputeThreads.Choose(), Is.EqualTo(3), "then OMP_NUM_THREADS");
            Environment.SetEnvironmentVariable("OMP_NUM_THREADS", "lots");
            Assert.That(ComputeThreads.Choose(), Is.InRange(1, Environment.ProcessorCount), "a value that is no count is ignored");
            Environment.SetEnvironmentVariable("OMP_NUM_THREADS", null);
            Assert.That(ComputeThreads.Choose(), Is.InRange(1, Environment.ProcessorCount));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => ComputeThreads.Choose(0))!.ParamName, Is.EqualTo("requested"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("OMP_NUM_THREADS", saved);
        }
    }

    [Test]
    public void CanLeaveOutACoreThatAnotherProcessKeepsBusy()
    {
        // Another process, not a thread of this one: the measurement leaves the caller's own work out.
        int cores = Environment.ProcessorCount;
        WithABusyCore(() =>
        {
            int free = ComputeThreads.FreeCores(TimeSpan.FromMilliseconds(300));
            Assert.That(free, Is.InRange(1, Math.Max(1, cores - 1)), $"{cores} cores, one kept busy");
        });
    }

    [Test]
    public void CanLeaveOutABusyCoreWhileTheCallerWorksDuringTheWindow()
    {
        int cores = Environment.ProcessorCount;
        WithABusyCore(() =>
        {
            FreeCoresMeasurement measurement = ComputeThreads.StartMeasuring();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            double sink = 0;
            while (watch.ElapsedMilliseconds < 300)
            {
                sink += Math.Sqrt(watch.ElapsedTicks); // this process's own work, as a program loading its input
            }

            int free = measurement.Finish(ComputeThreads.MeasurementWindow);
            Assert.That(free, Is.InRange(1, Math.Max(1, cores - 1)), $"{cores} cores, one kept busy by another process (sink {sink:E1})");
            Assert.That(ComputeThreads.Choose(4, measurement), Is.EqualTo(4), "an explicit count still wins");
        });
    }

    [Test]
    public void CanCountFreeCoresFromTicksLeavingOutTheCallersOwnWork()
    {
        // 2 cores over 100 ms: 20 ticks. The arithmetic alone, so that each case is exact on any machine.
        Assert.Multiple(() =>
        {
            Assert.That(FreeCoresMeasurement.IdleCores(busy: 10, own: 10, elapsed: 20, machineCores: 2), Is.EqualTo(2), "the caller's own core is not busy");
            Assert.That(FreeCoresMeasurement.IdleCores(busy: 20, own: 10, elapsed: 20, machineCores: 2), Is.EqualTo(1), "another process's core is");
            Assert.That(FreeCoresMeasurement.FreeOf(FreeCoresMeasurement.IdleCores(22, 10, 20, 2), 2), Is.EqualTo(1), "a busy core read as 1.2 cores");
            Assert.That(FreeCoresMeasurement.FreeOf(FreeCoresMeasurement.IdleCores(6, 0, 20, 2), 2), Is.EqualTo(2), "a burst of 0.6 of a core");
            Assert.That(FreeCoresMeasurement.FreeOf(FreeCoresMeasurement.IdleCores(8, 0, 20, 2), 2), Is.EqualTo(1), "0.8 of a core busy");
            Assert.That(FreeCoresMeasurement.FreeOf(-0.5, 2), Is.EqualTo(1), "at least one");
            Assert.That(FreeCoresMeasurement.FreeOf(3.2, 2), Is.EqualTo(2), "at most the cores .NET may use");
            Assert.That(FreeCoresMeasurement.ReadsQuiet(FreeCoresMeasurement.IdleCores(1, 0, 6, 2), 2), Is.False, "one busy tick in 30 ms is not quiet");
            Assert.That(FreeCoresMeasurement.ReadsQuiet(FreeCoresMeasurement.IdleCores(3, 3, 6, 2), 2), Is.True, "the caller's own ticks are");
            Assert.That(FreeCoresMeasurement.ReadsQuiet(FreeCoresMeasurement.IdleCores(3, 0, 6, 2), 2), Is.False, "a busy process in 30 ms is not");
        });
    }

    [Test]
    public void CanLeaveOutTheCoresReservedForOtherWorkOfThisProcess()
    {
        string? saved = Environment.GetEnvironmentVariable("OMP_NUM_THREADS");
        try
        {
            FreeCoresMeasurement measurement = ComputeThreads.StartMeasuring();
            Environment.SetEnvironmentVariable("OMP_NUM_THREADS", "3");
            Assert.That(ComputeThreads.Choose(null, measurement.Reserving(1)), Is.EqualTo(2), "OMP_NUM_THREADS less the reserved core");
            Assert.That(ComputeThreads.Choose(null, measurement.Reserving(5)), Is.EqualTo(1), "at least one");
            Assert.That(ComputeThreads.Choose(4, measurement.Reserving(1)), Is.EqualTo(4), "an explicit count is the caller's own");
            Assert.That(ComputeThreads.Choose(null, measurement), Is.EqualTo(3), "the measurement itself reserves nothing");
            Environment.SetEnvironmentVariable("OMP_NUM_THREADS", null);
            Assert.That(measurement.Reserving(Environment.ProcessorCount).Finish(TimeSpan.Zero), Is.EqualTo(1), "every core reserved leaves one");
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => measurement.Reserving(-1))!.ParamName, Is.EqualTo("cores"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("OMP_NUM_THREADS", saved);
        }
    }

    [Test]
    public void FinishFailsWithANegativeWindow()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ComputeThreads.StartMeasuring().Finish(TimeSpan.FromMilliseconds(-1)));
        Assert.That(e!.ParamName, Is.EqualTo("minimumWindow"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => ComputeThreads.Choose(null, null!))!.ParamName, Is.EqualTo("measurement"));
    }

    /// <summary>Runs <paramref name="test"/> while another process spins on one core.</summary>
    private static void WithABusyCore(Action test)
    {
        using var spinner = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", "while :; do :; done"]))!;
        try
        {
            Thread.Sleep(100);
            test();
        }
        finally
        {
            spinner.Kill();
            spinner.WaitForExit();
        }
    }
}
