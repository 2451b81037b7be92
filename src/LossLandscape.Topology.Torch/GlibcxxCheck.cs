using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LossLandscape.Topology.Torch;

/// <summary>
/// The check at first use of this library: on Linux, when the libstdc++ the loader will use lacks GLIBCXX_3.4.32
/// and the libLibTorchSharp.so beside the application still requires it (the package's build step, which marks
/// that requirement weak, did not run: a project reference from outside this repository, say), TorchSharp would
/// fail with a misleading "doesn't contain a reference to libtorch-cpu" error. This says the real cause and the fix.
/// </summary>
internal static class GlibcxxCheck
{
    private const string Version = "GLIBCXX_3.4.32";

    // A module initializer runs before any type of this assembly is used, so the message comes before TorchSharp's
    // own error whenever this library is what first touches TorchSharp (a user's code that calls TorchSharp first
    // still gets TorchSharp's error; the README names the cause there).
#pragma warning disable CA2255 // The check must run before any of the library's TorchSharp calls, whichever type is used first.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void OnLoad()
    {
        if (Environment.GetEnvironmentVariable("LOSSLANDSCAPE_SKIP_GLIBCXX_CHECK") != "1" && Problem(FindNativeLibrary(), GlibcxxRequirement.SystemLibStdCxx()) is { } message)
        {
            throw new DllNotFoundException(message);
        }
    }

    /// <summary>What is wrong, or null when TorchSharp's native library can load (or the check does not apply).</summary>
    internal static string? Problem(string? torchSharpNative, string? libstdcxx)
    {
        if (!OperatingSystem.IsLinux() || torchSharpNative is null || libstdcxx is null)
        {
            return null;
        }

        try
        {
            if (GlibcxxRequirement.Provides(libstdcxx, Version) || !GlibcxxRequirement.RequiresStrongly(torchSharpNative, Version))
            {
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null; // unreadable or unusual files: let TorchSharp try, and report what it finds
        }

        return $"TorchSharp's native library {torchSharpNative} needs {Version}, which this machine's libstdc++ ({libstdcxx}) lacks, "
            + "so TorchSharp cannot load it (its own error would blame a missing libtorch-cpu reference). The LossLandscape.Topology.Torch "
            + "package's build step marks that one requirement weak (the symbol behind it is never called), but it did not run for this "
            + "application, as happens with a project reference from outside the repository. Fix: reference the LossLandscape.Topology.Torch "
            + "package instead, or add <Import Project=\"PATH/TO/LossLandscape.Topology/src/LossLandscape.Topology.Torch/buildTransitive/LossLandscape.Topology.Torch.targets\" /> "
            + "to your project file and rebuild, or put a libstdc++ from GCC 13 or newer on LD_LIBRARY_PATH.";
    }

    /// <summary>The libLibTorchSharp.so the application will load: beside it, or in its runtimes folder.</summary>
    internal static string? FindNativeLibrary()
    {
        string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", "libLibTorchSharp.so"),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }
}
