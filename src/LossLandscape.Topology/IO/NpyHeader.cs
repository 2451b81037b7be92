using System.Globalization;

namespace LossLandscape.Topology.IO;

/// <summary>
/// Parses the header of a .npy file: a Python dict literal whose keys are strings and whose values are strings,
/// <c>True</c>/<c>False</c> or tuples of non-negative integers. A real parser, not a pattern search, so a string
/// value that happens to contain <c>'shape': (1,)</c> is read as the string it is.
/// </summary>
internal static class NpyHeader
{
    public static Dictionary<string, object> Parse(string header, string name)
    {
        var fields = new Dictionary<string, object>(StringComparer.Ordinal);
        int i = 0;
        Skip(header, ref i);
        Expect(header, ref i, '{', name);
        Skip(header, ref i);
        while (i < header.Length && header[i] != '}')
        {
            string key = ReadString(header, ref i, name);
            Skip(header, ref i);
            Expect(header, ref i, ':', name);
            Skip(header, ref i);
            object value = ReadValue(header, ref i, name);
            if (!fields.TryAdd(key, value))
            {
                throw Bad(name, header, $"the key '{key}' appears twice");
            }

            Skip(header, ref i);
            if (i < header.Length && header[i] == ',')
            {
                i++;
                Skip(header, ref i);
            }
            else if (i < header.Length && header[i] != '}')
            {
                throw Bad(name, header, $"expected ',' or '}}' at character {i}");
            }
        }

        Expect(header, ref i, '}', name);
        return fields;
    }

    private static object ReadValue(string text, ref int i, string name)
    {
        if (i >= text.Length)
        {
            throw Bad(name, text, "it ends where a value should be");
        }

        char c = text[i];
        if (c is '\'' or '"')
        {
            return ReadString(text, ref i, name);
        }

        if (c == '(')
        {
            i++;
            var sizes = new List<int>();
            Skip(text, ref i);
            while (i < text.Length && text[i] != ')')
            {
                int start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                string digits = text[start..i];
                if (i < text.Length && text[i] == 'L')
                {
                    i++; // Python 2 long literals
                }

                if (digits.Length == 0 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int size))
                {
                    throw Bad(name, text, $"the shape holds '{(digits.Length == 0 ? text[start..Math.Min(text.Length, start + 12)] : digits)}', which is not a size below 2³¹");
                }

                sizes.Add(size);
                Skip(text, ref i);
                if (i < text.Length && text[i] == ',')
                {
                    i++;
                    Skip(text, ref i);
                }
            }

            Expect(text, ref i, ')', name);
            return sizes.ToArray();
        }

        foreach ((string word, bool value) in new[] { ("True", true), ("False", false) })
        {
            if (string.CompareOrdinal(text, i, word, 0, word.Length) == 0)
            {
                i += word.Length;
                return value;
            }
        }

        throw Bad(name, text, $"unexpected '{c}' at character {i}");
    }

    private static string ReadString(string text, ref int i, string name)
    {
        if (i >= text.Length || text[i] is not ('\'' or '"'))
        {
            throw Bad(name, text, $"expected a quoted key at character {i}");
        }

        char quote = text[i++];
        int start = i;
        while (i < text.Length && text[i] != quote)
        {
            i++;
        }

        if (i >= text.Length)
        {
            throw Bad(name, text, "a string is not closed");
        }

        return text[start..i++];
    }

    private static void Skip(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
    }

    private static void Expect(string text, ref int i, char c, string name)
    {
        if (i >= text.Length || text[i] != c)
        {
            throw Bad(name, text, $"expected '{c}' at character {i}");
        }

        i++;
    }

    private static InvalidDataException Bad(string name, string header, string what)
        => new($"'{name}': the .npy header cannot be read ({what}): {(header.Length > 200 ? header[..200] + "…" : header).Trim()}");
}
