using System.CommandLine;

namespace LossLandscape.Topology.CommandLine;

/// <summary>
/// How <c>llt</c> and the example programs parse and run a command line (System.CommandLine, this one file linked
/// into each): help and <c>--version</c> as System.CommandLine writes them; a parse or usage error is one line on
/// stderr naming the option and the value, exit code 2; a file error is one line, exit code 1; never a stack trace.
/// </summary>
internal static class CommandLineRunner
{
    /// <summary>Parses <paramref name="args"/> with <paramref name="root"/> and runs the chosen command's action.</summary>
    /// <param name="root">The program's commands and options.</param>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Where results and help go.</param>
    /// <param name="stderr">Where the one-line errors go.</param>
    /// <param name="program">The name errors start with (<c>llt</c>, <c>pinn-convection</c>).</param>
    public static int Run(RootCommand root, IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, string program)
    {
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            string messages = string.Join("; ", parse.Errors.Select(e => OneLine(e.Message).TrimEnd('.')).Distinct());
            stderr.WriteLine($"{program}: {messages} ({HelpHint(parse, program)})");
            return 2;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"{program}: {OneLine(e.Message)}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{program}: {OneLine(e.Message)}");
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException and not StackOverflowException)
        {
            // Still one line: an error no check anticipated (and a bug to report).
            stderr.WriteLine($"{program}: unexpected {e.GetType().Name}: {OneLine(e.Message)}");
            return 1;
        }
    }

    /// <summary>
    /// Parses a program's options without running it: <paramref name="create"/> builds the command from the action
    /// that receives the options (for tests and callers that run the work themselves).
    /// </summary>
    /// <exception cref="ArgumentException">An option is unknown or has a bad value; the message is the one-line error.</exception>
    public static T Parse<T>(Func<Func<T, int>, RootCommand> create, IReadOnlyList<string> args, string program)
        where T : class
    {
        T? parsed = null;
        var stderr = new StringWriter();
        int code = Run(create(o => { parsed = o; return 0; }), args, TextWriter.Null, stderr, program);
        return code == 0 && parsed is not null ? parsed : throw new ArgumentException(stderr.ToString().Trim());
    }

    /// <summary>Collapses a message onto one line.</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static string HelpHint(ParseResult parse, string program)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? r = parse.CommandResult; r is not null; r = r.Parent)
        {
            if (r is System.CommandLine.Parsing.CommandResult { Command: not RootCommand } c)
            {
                names.Insert(0, c.Command.Name);
            }
        }

        return $"{string.Join(' ', [program, .. names])} --help lists the options";
    }
}

/// <summary>A mistake in the command line or its input files: one line on stderr, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
