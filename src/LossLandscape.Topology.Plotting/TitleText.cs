namespace LossLandscape.Topology.Plotting;

/// <summary>Titles that fit their picture: long ones are broken at spaces into lines of at most a given length.</summary>
internal static class TitleText
{
    /// <summary>
    /// Characters per title line that fit an 800-pixel picture at the default title size (ScottPlot's font is about
    /// 11 px per character); narrower pictures scale it down.
    /// </summary>
    public static int LineLength(int width) => Math.Max(30, width / 11);

    /// <summary><paramref name="title"/> with its existing lines kept and each broken at spaces to at most <paramref name="length"/> characters.</summary>
    public static string Wrap(string title, int length)
    {
        var lines = new List<string>();
        foreach (string line in title.Split('\n'))
        {
            var current = new System.Text.StringBuilder();
            foreach (string word in line.Split(' '))
            {
                if (current.Length > 0 && current.Length + 1 + word.Length > length)
                {
                    lines.Add(current.ToString());
                    current.Clear();
                }

                current.Append(current.Length > 0 ? " " : string.Empty).Append(word);
            }

            lines.Add(current.ToString());
        }

        return string.Join('\n', lines);
    }
}
