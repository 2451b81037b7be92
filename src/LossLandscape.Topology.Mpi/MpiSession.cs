using System.Reflection;
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
    /// <exception cref="InvalidOperationException">The process was started by Open MPI, or no MPICH library can be loaded.</exception>
    public static MpiSession Start(ref string[] args)
    {
        RefuseOpenMpi();
        InstallResolver();
        return new MpiSession(new MPI.Environment(ref args));
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
