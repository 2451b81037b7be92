using System.Diagnostics;
using System.Globalization;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Mpi;

namespace LossLandscape.Topology.Mpi.Tests;

/// <summary>
/// Real MPI runs: the probe program under MPICH's <c>mpiexec.mpich -np 2</c> against the same program alone (one rank).
/// </summary>
[Category("Slow")] // each test starts mpiexec with .NET processes: seconds apiece
public class MpiRunTests
{
    private const string Mpiexec = "/usr/bin/mpiexec.mpich";
    private string _folder = null!;

    private static string Probe => Path.Combine(TestContext.CurrentContext.TestDirectory, "llt-mpi-probe.dll");

    [SetUp]
    public void Prepare()
    {
        if (!File.Exists(Mpiexec))
        {
            Assert.Ignore("MPICH is not installed (apt-get install mpich libmpich-dev)");
        }

        _folder = Directory.CreateTempSubdirectory("llt-mpi").FullName;
    }

    [TearDown]
    public void Clean()
    {
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void CanMatchTheSingleProcessLandscapeExactlyWithTwoRanks(bool batched)
    {
        string one = Path.Combine(_folder, "one.npy");
        string two = Path.Combine(_folder, "two.npy");
        string[] extra = batched ? ["--batched"] : [];
        Run(1, ["landscape", "--out", one, .. extra]);
        string log = Run(2, ["landscape", "--out", two, .. extra]);
        Assert.That(log, Does.Contain("ranks 2 evaluated 225"));
        Assert.That(File.ReadAllBytes(two), Is.EqualTo(File.ReadAllBytes(one)), "bit-identical landscapes");
    }

    [Test]
    public void CanResumeAfterOneRankIsKilledMidway()
    {
        string reference = Path.Combine(_folder, "reference.npy");
        string resumed = Path.Combine(_folder, "resumed.npy");
        string checkpoint = Path.Combine(_folder, "run.ckpt");
        Run(1, ["landscape", "--out", reference]);

        (int code, _) = Start(2, ["landscape", "--out", resumed, "--checkpoint", checkpoint, "--crash-after", "30"]);
        Assert.That(code, Is.Not.Zero, "the job is killed");
        Assert.That(File.Exists(checkpoint + ".rank1of2"), Is.True);

        string log = Run(2, ["landscape", "--out", resumed, "--checkpoint", checkpoint]);
        int evaluated = int.Parse(log.Split("evaluated ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        int fromCheckpoint = int.Parse(log.Split("resumed ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        // The killed rank finished exactly 30 points (the probe counts from the end of its warm-up); the other rank
        // adds whatever it had finished when the job was killed, which depends on timing.
        Assert.That(fromCheckpoint, Is.GreaterThanOrEqualTo(30), "the killed rank's finished points are kept");
        Assert.That(evaluated + fromCheckpoint, Is.EqualTo(225));
        Assert.That(evaluated, Is.LessThan(225), "only the missing points are evaluated");
        Assert.That(File.ReadAllBytes(resumed), Is.EqualTo(File.ReadAllBytes(reference)));
    }

    [Test]
    public void CanMatchSingleProcessHessianWithTheDataSplitAcrossRanks()
    {
        string one = Path.Combine(_folder, "one.txt");
        string two = Path.Combine(_folder, "two.txt");
        Run(1, ["lanczos", "--out", one]);
        Run(2, ["lanczos", "--out", two]);
        double[] a = File.ReadAllText(one).Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        double[] b = File.ReadAllText(two).Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.That(b[i], Is.EqualTo(a[i]).Within(1e-12 * Math.Abs(a[i])), "λ1, λ2 and the Hutchinson trace agree to rounding");
        }

        Assert.That(b[3], Is.EqualTo(a[3]), "the same number of products");
    }

    [Test]
    public void CanEndTheWholeJobWhenTheLossFailsOnOneRank()
    {
        var clock = Stopwatch.StartNew();
        (int code, string output) = Start(2, ["landscape", "--out", Path.Combine(_folder, "x.npy"), "--fail-on-rank", "1"]);
        Assert.That(code, Is.Not.Zero);
        Assert.That(output, Does.Contain("the loss failed on rank 1"), "the failing rank's own message");
        Assert.That(output, Does.Contain("failed on rank(s) 1"), "the other rank says why it stops");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), "no rank hangs (the runner's limit is 3 minutes)");
    }

    [Test]
    public void CanAbortTheJobOnAnExceptionOutsideTheLibrary()
    {
        (int code, string output) = Start(2, ["unhandled"]);
        Assert.That(code, Is.Not.Zero);
        Assert.That(output, Does.Contain("rank 1 of 2: InvalidOperationException: unhandled on the last rank"));
    }

    [Test]
    public void SampleFailsOnEveryRankWhenTheRanksDisagreeOnTheGrid()
    {
        (int code, string output) = Start(2, ["landscape", "--out", Path.Combine(_folder, "x.npy"), "--grid-on-last-rank", "9"]);
        Assert.That(code, Is.Not.Zero);
        Assert.That(output, Does.Contain("rank 0 of 2: The ranks disagree on the sampling run: points from 81 to 225"));
        Assert.That(output, Does.Contain("rank 1 of 2: The ranks disagree on the sampling run: points from 81 to 225"));
    }

    [Test]
    public void ResumeFailsWithAnotherRankCount()
    {
        string checkpoint = Path.Combine(_folder, "run.ckpt");
        Run(2, ["landscape", "--out", Path.Combine(_folder, "a.npy"), "--checkpoint", checkpoint]);
        (int code, string output) = Start(1, ["landscape", "--out", Path.Combine(_folder, "b.npy"), "--checkpoint", checkpoint]);
        Assert.That(code, Is.Not.Zero);
        Assert.That(output, Does.Contain("another number of ranks").And.Contain("run.ckpt.rank0of2"));
    }

    [Test]
    public void StartFailsWithAMessageUnderOpenMpi()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Probe);
        start.ArgumentList.Add("landscape");
        start.Environment["OMPI_COMM_WORLD_SIZE"] = "1";
        using Process process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(3));
        Assert.That(error, Does.Contain("Open MPI").And.Contain("mpiexec.mpich"));
    }

    private static string Run(int ranks, string[] arguments)
    {
        (int code, string output) = Start(ranks, arguments);
        Assert.That(code, Is.Zero, output);
        return output;
    }

    private static (int Code, string Output) Start(int ranks, string[] arguments)
    {
        var start = new ProcessStartInfo(ranks == 1 ? "dotnet" : Mpiexec) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (ranks > 1)
        {
            start.ArgumentList.Add("-np");
            start.ArgumentList.Add(ranks.ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(Probe);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the MPI run did not finish in 3 minutes");
        }

        return (process.ExitCode, output + error.Result);
    }
}
