using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Mpi;

/// <summary>
/// An MPI job seen from one rank: starts MPI (MPI.NET over MPICH), knows this rank, its node-local rank and the
/// device it should use, and sums arrays across ranks. Dispose it at the end of the program.
/// </summary>
/// <remarks>
/// MPI.NET 1.4.0 imports <c>msmpi</c> and assumes MPICH-style integer handles. On Linux the import is resolved to
/// MPICH's <c>libmpich.so.12</c> (Debian/Ubuntu package <c>mpich</c>); the environment variable
/// <c>LLT_MPI_LIBRARY</c> names another file (a full path or a soname). Open MPI uses pointer handles and would crash
/// inside MPI.NET, so a process started by Open MPI's launcher is refused with a message instead.
/// </remarks>
public sealed class MpiSession : IDisposable
{
    /// <summary>The environment variable that overrides the MPI library file.</summary>
    public const string LibraryVariable = "LLT_MPI_LIBRARY";

    private static int _resolverInstalled;
    private readonly MPI.Environment _environment;

    private MpiSession(MPI.Environment environment)
    {
        _environment = environment;
        Communicator = MPI.Communicator.world;
        Rank = Communicator.Rank;
        Size = Communicator.Size;
        LocalRank = LocalRankFromEnvironment() ?? Rank;
    }

    /// <summary>This process's rank.</summary>
    public int Rank { get; }

    /// <summary>Number of ranks.</summary>
    public int Size { get; }

    /// <summary>The rank among the ranks on this node (MPICH's MPI_LOCALRANKID or Slurm's SLURM_LOCALID; else the rank).</summary>
    public int LocalRank { get; }

    /// <summary>True on rank 0.</summary>
    public bool IsRoot => Rank == 0;

    internal MPI.Intracommunicator Communicator { get; }

    /// <summary>Starts MPI for this process (once per process).</summary>
    /// <remarks>
    /// An exception that nothing catches ends the whole job: the rank writes it to standard error and calls
    /// MPI_Abort, instead of waiting forever in MPI_Finalize while the other ranks wait in a collective. Code that
    /// catches an exception and then ends normally while other ranks may still wait should call <see cref="Abort"/>
    /// (or run its body through <see cref="Run"/>).
    /// </remarks>
    /// <exception cref="InvalidOperationException">The process was started by Open MPI, or no MPICH library can be loaded.</exception>
    public static MpiSession Start(ref string[] args)
    {
        RefuseOpenMpi();
        InstallResolver();
        var session = new MpiSession(new MPI.Environment(ref args));
        AppDomain.CurrentDomain.UnhandledException += (_, e) => session.Abort(e.ExceptionObject as Exception);
        return session;
    }

    /// <summary>
    /// Starts MPI, runs <paramref name="body"/> and ends MPI; if the body throws on any rank, that rank writes the
    /// exception to standard error and aborts the job (every rank ends within seconds), so no rank hangs.
    /// </summary>
    /// <returns>The body's exit code.</returns>
    public static int Run(ref string[] args, Func<MpiSession, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using MpiSession session = Start(ref args);
        try
        {
            return body(session);
        }
        catch (Exception e)
        {
            session.Abort(e);
            throw; // not reached: Abort ends the process
        }
    }

    /// <summary>
    /// Ends the whole job now: writes <paramref name="reason"/> (if any) to standard error, prefixed with this rank,
    /// and calls MPI_Abort, which stops every rank.
    /// </summary>
    public void Abort(Exception? reason, int errorCode = 1)
    {
        if (reason is not null)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rank {Rank} of {Size}: {reason.GetType().Name}: {reason.Message.ReplaceLineEndings(" ")} (aborting the job)"));
        }

        Console.Error.Flush();
        Communicator.Abort(errorCode);
    }

    /// <summary>
    /// Runs <paramref name="body"/> on every rank and then agrees on the outcome: if it threw on any rank, every rank
    /// throws (the failing ranks their own exception, the others one that names the failing ranks), so no rank is
    /// left waiting in a later collective.
    /// </summary>
    internal T AllOrNothing<T>(string what, Func<T> body)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        try
        {
            result = body();
        }
        catch (Exception e)
        {
            // Said here, before the agreement: another rank may abort the job as soon as it learns of the failure.
            failure = ExceptionDispatchInfo.Capture(e);
            Say($"{what} failed: {e.GetType().Name}: {e.Message}");
        }

        var failed = new double[Size];
        failed[Rank] = failure is null ? 0 : 1;
        double[] all = SumAcrossRanks(failed);
        int[] ranks = Enumerable.Range(0, Size).Where(r => all[r] > 0).ToArray();
        if (ranks.Length == 0)
        {
            return result;
        }

        var stop = new InvalidOperationException($"{what} failed on rank(s) {string.Join(", ", ranks)} (their messages are on their standard error); rank {Rank} stops too.");
        if (failure is null)
        {
            Say(stop.Message);
        }

        // Every rank took this branch: wait until all have said why, then throw (an uncaught throw aborts the job).
        Barrier();
        failure?.Throw();
        throw stop;
    }

    private void Say(string message)
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rank {Rank} of {Size}: {message.ReplaceLineEndings(" ")}"));
        Console.Error.Flush();
    }

    /// <summary>Throws the same message on every rank unless all ranks hold the same <paramref name="values"/>.</summary>
    internal void Agree(string what, string[] names, double[] values)
    {
        double[] low = Communicator.Allreduce(values, MPI.Operation<double>.Min);
        double[] high = Communicator.Allreduce(values, MPI.Operation<double>.Max);
        var differences = Enumerable.Range(0, values.Length).Where(i => low[i] != high[i]).Select(i => string.Create(CultureInfo.InvariantCulture, $"{names[i]} from {low[i]} to {high[i]}")).ToArray();
        if (differences.Length > 0)
        {
            var disagreement = new InvalidOperationException($"The ranks disagree on {what}: {string.Join("; ", differences)}. Every rank must build the same run.");
            Say(disagreement.Message);
            Barrier(); // every rank says it before any can abort the job
            throw disagreement;
        }
    }

    /// <summary>
    /// The device for this rank: CUDA device (local rank mod device count) when CUDA is available, the CPU otherwise
    /// — one GPU per rank when a job starts as many ranks per node as the node has GPUs.
    /// </summary>
    public Device DeviceForRank() => cuda.is_available() ? new Device(TorchSharp.DeviceType.CUDA, LocalRank % cuda.device_count()) : CPU;

    /// <summary>Element-wise sum of <paramref name="values"/> over all ranks, returned on every rank.</summary>
    public double[] SumAcrossRanks(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Communicator.Allreduce(values, MPI.Operation<double>.Add);
    }

    /// <summary>Waits until every rank gets here.</summary>
    public void Barrier() => Communicator.Barrier();

    /// <inheritdoc />
    public void Dispose() => _environment.Dispose();

    internal static int? LocalRankFromEnvironment()
    {
        foreach (string name in new[] { "MPI_LOCALRANKID", "SLURM_LOCALID", "OMPI_COMM_WORLD_LOCAL_RANK" })
        {
            if (int.TryParse(Environment.GetEnvironmentVariable(name), out int value))
            {
                return value;
            }
        }

        return null;
    }

    private static void RefuseOpenMpi()
    {
        bool openMpi = Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("OMPI_", StringComparison.Ordinal));
        string? library = Environment.GetEnvironmentVariable(LibraryVariable);
        if (openMpi || (library is not null && library.Contains("libmpi.so", StringComparison.Ordinal) && !library.Contains("mpich", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException(
                "This process runs under Open MPI, which MPI.NET 1.4.0 does not support (it assumes MPICH-style integer handles and would crash). " +
                $"Install MPICH (apt-get install mpich) and start the job with mpiexec.mpich, or point {LibraryVariable} at an MPICH-compatible libmpich.so.");
        }
    }

    private static void InstallResolver()
    {
        if (Interlocked.Exchange(ref _resolverInstalled, 1) == 1)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(MPI.Communicator).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!name.Contains("mpi", StringComparison.OrdinalIgnoreCase))
        {
            return IntPtr.Zero;
        }

        if (OperatingSystem.IsWindows())
        {
            return IntPtr.Zero; // msmpi.dll as MPI.NET expects
        }

        string[] candidates = Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } chosen
            ? [chosen]
            : ["libmpich.so.12", "libmpich.so", "libmpi.so.12"];
        foreach (string candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out IntPtr handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException(
            $"No MPICH library found (tried {string.Join(", ", candidates)}). Install MPICH (apt-get install mpich libmpich-dev) or set {LibraryVariable} to its path.");
    }
}
