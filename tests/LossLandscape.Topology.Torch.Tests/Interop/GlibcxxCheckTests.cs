using LossLandscape.Topology.Torch;

namespace LossLandscape.Topology.Torch.Tests.Interop;

/// <summary>
/// The first-use check for TorchSharp's libstdc++ requirement, on the real files: TorchSharp's library as the
/// package ships it (strong GLIBCXX_3.4.32 requirement) and the copy this test's build step wrote.
/// </summary>
public class GlibcxxCheckTests
{
    private const string Version = "GLIBCXX_3.4.32";

    private static string Packaged()
    {
        string home = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!OperatingSystem.IsLinux() || !File.Exists(path))
        {
            Assert.Ignore($"needs Linux x64 and TorchSharp 0.107.0 in the package cache ({path})");
        }

        return path;
    }

    [Test]
    public void ThePackagedLibraryNeedsTheVersionAndTheBuildStepsCopyOnlyWhereTheSystemHasIt()
    {
        string packaged = Packaged();
        Assert.That(GlibcxxRequirement.RequiresStrongly(packaged, Version), Is.True, "TorchSharp 0.107.0 as shipped");
        string? system = GlibcxxRequirement.SystemLibStdCxx();
        Assert.That(system, Is.Not.Null);
        string? copied = GlibcxxCheck.FindNativeLibrary();
        Assert.That(copied, Is.Not.Null, "the test's output folder has TorchSharp's native library");
        bool provided = GlibcxxRequirement.Provides(system!, Version);
        Assert.That(GlibcxxRequirement.RequiresStrongly(copied!, Version), Is.EqualTo(provided), "the build step weakens the copy exactly when the system lacks the version");
        Assert.That(GlibcxxCheck.Problem(copied, system), Is.Null, "this test's own build loads TorchSharp");
    }

    [Test]
    public void NamesTheCauseAndTheFixWhenTheStepDidNotRun()
    {
        string packaged = Packaged();
        string folder = Directory.CreateTempSubdirectory("llt-glibcxx").FullName;
        try
        {
            // A libstdc++ that stops at 3.4.30, as Debian 12's does, and one that has the version.
            string old = Path.Combine(folder, "old.so");
            File.WriteAllBytes(old, "\0GLIBCXX_3.4.29\0GLIBCXX_3.4.30\0"u8.ToArray());
            string current = Path.Combine(folder, "new.so");
            File.WriteAllBytes(current, "\0GLIBCXX_3.4.30\0GLIBCXX_3.4.32\0"u8.ToArray());

            string? message = GlibcxxCheck.Problem(packaged, old);
            Assert.That(message, Does.Contain(packaged).And.Contain(Version).And.Contain(old)
                .And.Contain("LossLandscape.Topology.Torch.targets").And.Contain("LD_LIBRARY_PATH"));
            Assert.That(GlibcxxCheck.Problem(packaged, current), Is.Null);

            byte[] weakened = File.ReadAllBytes(packaged);
            Assert.That(GlibcxxRequirement.Visit(weakened, Version, weaken: true), Is.GreaterThan(0));
            string fixedCopy = Path.Combine(folder, "libLibTorchSharp.so");
            File.WriteAllBytes(fixedCopy, weakened);
            Assert.That(GlibcxxCheck.Problem(fixedCopy, old), Is.Null, "a weakened copy loads");
            Assert.That(GlibcxxRequirement.Visit(File.ReadAllBytes(fixedCopy), Version, weaken: false), Is.Zero);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
