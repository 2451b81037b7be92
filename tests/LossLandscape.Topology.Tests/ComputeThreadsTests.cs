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
        using var spinner = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", "while :; do :; done"]))!;
        try
        {
            Thread.Sleep(100);
            int free = ComputeThreads.FreeCores(TimeSpan.FromMilliseconds(300));
            Assert.That(free, Is.InRange(1, Math.Max(1, cores - 1)), $"{cores} cores, one kept busy");
        }
        finally
        {
            spinner.Kill();
            spinner.WaitForExit();
        }
    }

    [Test]
    public void CanMeasureOverTheCallersOwnWorkAndStillLeaveOutABusyCore()
    {
        int cores = Environment.ProcessorCount;
        using var spinner = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", "while :; do :; done"]))!;
        try
        {
            Thread.Sleep(100);
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
        }
        finally
        {
            spinner.Kill();
            spinner.WaitForExit();
        }
    }

    [Test]
    public void FinishFailsWithANegativeWindow()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ComputeThreads.StartMeasuring().Finish(TimeSpan.FromMilliseconds(-1)));
        Assert.That(e!.ParamName, Is.EqualTo("minimumWindow"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => ComputeThreads.Choose(null, null!))!.ParamName, Is.EqualTo("measurement"));
    }
}
