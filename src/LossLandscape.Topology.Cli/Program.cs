using System.CommandLine;
using LossLandscape.Topology.CommandLine;

namespace LossLandscape.Topology.Cli;

/// <summary>Entry point of <c>llt</c>.</summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        // A large grid's arrays are read all over (union-finds, scattered sweeps): huge pages for the managed heap cut
        // its page faults and TLB misses (a random 2048² grid: about 14% of the run), where the kernel gives them only
        // on request. A program's choice for its own process, so it is made here and not in the library.
        HugePages.AdviseLargeReservations();
        return Run(args, Console.Out, Console.Error);
    }

    /// <summary>The package version (without the source revision SourceLink appends after '+').</summary>
    private static string Version =>
        (System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(Program).Assembly)?.InformationalVersion ?? "unknown").Split('+')[0];

    /// <summary>Runs a command; user errors become one line on <paramref name="stderr"/> and exit code 2, never a stack trace.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => CommandLineRunner.Run(CreateRootCommand(), args, stdout, stderr, "llt");

    /// <summary>llt's commands: analyze, spectrum and completion, with help, <c>--version</c> and the <c>[suggest]</c> directive that shell completion calls.</summary>
    internal static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("llt: topology (merge trees, persistence, metrics, pictures, VTK files) and spectra of loss landscapes computed elsewhere")
        {
            AnalyzeOptions.CreateCommand(),
            SpectrumOptions.CreateCommand(),
            CompareCommand.Create(),
            CompletionCommand.Create(),
        };
        root.HelpName = "llt";

        // The version of this assembly (System.CommandLine's own option reports the entry assembly's, which is
        // the test host under a test), printed as "llt 0.1.0".
        root.Options.Remove(root.Options.OfType<VersionOption>().Single());
        var version = new Option<bool>("--version") { Description = "print llt's version" };
        root.Options.Add(version);
        root.SetAction(parse =>
        {
            if (parse.GetValue(version))
            {
                parse.InvocationConfiguration.Output.WriteLine($"llt {Version}");
                return 0;
            }

            throw new UsageException("no command given: use llt analyze <file>, llt compare <a> <b>, llt spectrum <matrix.npy> or llt completion bash (llt --help lists them)");
        });
        return root;
    }
}
