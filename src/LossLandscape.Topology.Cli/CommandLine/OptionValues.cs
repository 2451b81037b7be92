using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace LossLandscape.Topology.CommandLine;

/// <summary>
/// Options whose values are checked where they are parsed, with messages that name the option and the value
/// ("--grid must be a whole number of at least 2, not '1'"), shared by <c>llt</c> and the examples.
/// </summary>
internal static class OptionValues
{
    /// <summary>A whole-number option of at least <paramref name="least"/>.</summary>
    public static Option<int> WholeNumber(string name, string description, int least, int defaultValue)
        => new(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseWhole(r, name, least) ?? defaultValue,
        };

    /// <summary>A whole-number option of at least <paramref name="least"/> that may be left out (null).</summary>
    public static Option<int?> OptionalWholeNumber(string name, string description, int least)
        => new(name)
        {
            Description = description,
            HelpName = "N",
            CustomParser = r => ParseWhole(r, name, least),
        };

    /// <summary>A finite number option, greater than <paramref name="above"/> when that is given.</summary>
    public static Option<double> Number(string name, string description, double defaultValue, double? above = null)
        => new(name)
        {
            Description = description,
            HelpName = "X",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseNumber(r, name, above) ?? defaultValue,
        };

    /// <summary>A finite number option that may be left out (null), greater than <paramref name="above"/> when that is given.</summary>
    public static Option<double?> OptionalNumber(string name, string description, double? above = null)
        => new(name)
        {
            Description = description,
            HelpName = "X",
            CustomParser = r => ParseNumber(r, name, above),
        };

    /// <summary>A text option that must not be empty (a file or folder name).</summary>
    public static Option<string> Text(string name, string description, string helpName, string defaultValue)
        => new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => NonEmpty(r, name, helpName) ?? defaultValue,
        };

    /// <summary>A text option that may be left out (null), and must not be empty when given.</summary>
    public static Option<string?> OptionalText(string name, string description, string helpName)
        => new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = r => NonEmpty(r, name, helpName),
        };

    /// <summary>An option that takes one of <paramref name="choices"/> (which shell completion offers).</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] choices)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', choices),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                string text = Token(r);
                if (!choices.Contains(text))
                {
                    r.AddError($"{name} must be {string.Join(", ", choices[..^1])} or {choices[^1]}, not '{text}'");
                    return defaultValue;
                }

                return text;
            },
        };
        option.CompletionSources.Add(choices);
        return option;
    }

    /// <summary><c>--threads N</c>: compute threads; when left out, <see cref="ComputeThreads.Choose(int?)"/> decides.</summary>
    public static Option<int?> Threads()
        => OptionalWholeNumber("--threads", "compute threads (default: OMP_NUM_THREADS, else the cores idle at the start)", 1);

    private static string Token(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[^1].Value : string.Empty;

    private static int? ParseWhole(ArgumentResult r, string name, int least)
    {
        string text = Token(r);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < least)
        {
            r.AddError($"{name} must be a whole number of at least {least}, not '{text}'");
            return null;
        }

        return value;
    }

    private static double? ParseNumber(ArgumentResult r, string name, double? above)
    {
        string text = Token(r);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value <= above)
        {
            r.AddError($"{name} must be a finite number{(above is { } a ? $" above {a.ToString(CultureInfo.InvariantCulture)}" : string.Empty)}, not '{text}'");
            return null;
        }

        return value;
    }

    private static string? NonEmpty(ArgumentResult r, string name, string helpName)
    {
        string text = Token(r);
        if (text.Trim().Length == 0)
        {
            r.AddError($"{name} needs a {helpName.ToLowerInvariant()} name, not an empty string");
            return null;
        }

        return text;
    }
}
