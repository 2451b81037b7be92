namespace LossLandscape.Topology.Cli;

/// <summary>Entry point of <c>llt</c>.</summary>
internal static class Program
{
    private const string Usage = "usage: llt analyze <file> [options] | llt spectrum <matrix.npy> [options] | llt --version   (llt <command> --help for the options)";

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>The package version (without the source revision SourceLink appends after '+').</summary>
    private static string Version =>
        (System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(Program).Assembly)?.InformationalVersion ?? "unknown").Split('+')[0];

    /// <summary>Runs a command; user errors become one line on <paramref name="stderr"/> and exit code 2, never a stack trace.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (args.Length == 0 || args[0] is "--help" or "-h")
            {
                stdout.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            if (args is ["--version"])
            {
                stdout.WriteLine($"llt {Version}");
                return 0;
            }

            if (args[0] is not ("analyze" or "spectrum"))
            {
                throw new CliException($"unknown command '{args[0]}' ({Usage})");
            }

            if (args.Skip(1).Any(a => a is "--help" or "-h"))
            {
                stdout.WriteLine(args[0] == "analyze" ? AnalyzeOptions.Usage : SpectrumOptions.Usage);
                return 0;
            }

            return args[0] == "analyze"
                ? AnalyzeCommand.Run(AnalyzeOptions.Parse(args[1..]), stdout)
                : SpectrumCommand.Run(SpectrumOptions.Parse(args[1..]), stdout);
        }
        catch (CliException e)
        {
            stderr.WriteLine($"llt: {OneLine(e.Message)}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"llt: {OneLine(e.Message)}");
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException and not StackOverflowException)
        {
            // Never a stack trace: an error no check above anticipated is still one line (and a bug to report).
            stderr.WriteLine($"llt: unexpected {e.GetType().Name}: {OneLine(e.Message)}");
            return 1;
        }
    }
}
