using System.Globalization;
using System.Text;
using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Plotting;

/// <summary>
/// An interactive 3-D surface of a 2-D grid landscape as an HTML page that opens offline: plotly.js (the copy that
/// ships inside the Plotly.NET package) either in one <c>plotly.min.js</c> beside the pages of a folder
/// (<see cref="Save(Landscape, string, string?)"/>: a folder of surfaces stays small) or inlined
/// (<see cref="Create(Landscape, string?)"/>: one self-contained page). Grids larger than
/// <see cref="MaxPoints"/> are drawn from an evenly strided subset (the full data belongs in the VTK file).
/// </summary>
public static class SurfaceHtml
{
    /// <summary>The script file <see cref="Save(Landscape, string, string?)"/> writes beside the pages.</summary>
    public const string ScriptFileName = "plotly.min.js";

    /// <summary>Most grid points a page draws (400 × 400): a browser opens such a page quickly, a few MB.</summary>
    public const int MaxPoints = 160_000;

    private static readonly Lazy<string> PlotlyScript = new(() =>
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        string name = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    });

    /// <summary>
    /// Writes the surface page to <paramref name="path"/> and, once per folder, <see cref="ScriptFileName"/>
    /// beside it, which the page loads.
    /// </summary>
    public static void Save(Landscape landscape, string path, string? title = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string page = Page(landscape, title, $"<script type=\"text/javascript\" src=\"{ScriptFileName}\"></script>");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        string script = Path.Combine(folder, ScriptFileName);
        if (!File.Exists(script) || new FileInfo(script).Length != Encoding.UTF8.GetByteCount(PlotlyScript.Value))
        {
            File.WriteAllText(script, PlotlyScript.Value);
        }

        File.WriteAllText(path, page);
    }

    /// <summary>The surface page as one self-contained string (plotly.js inlined), for notebooks and single files.</summary>
    /// <exception cref="ArgumentException">The landscape is not a 2-D grid.</exception>
    public static string Create(Landscape landscape, string? title = null)
        => Page(landscape, title, $"<script type=\"text/javascript\">{PlotlyScript.Value}</script>");

    private static string Page(Landscape landscape, string? title, string scriptElement)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        if (!landscape.IsGrid || landscape.Dimension != 2)
        {
            throw new ArgumentException($"A surface needs a 2-D grid landscape; got {landscape}.", nameof(landscape));
        }

        int nx = landscape.Shape[0];
        int ny = landscape.Shape[1];
        int stride = 1;
        while ((long)((nx + stride - 1) / stride) * ((ny + stride - 1) / stride) > MaxPoints)
        {
            stride++;
        }

        int[] xs = Enumerable.Range(0, nx).Where(i => i % stride == 0 || i == nx - 1).ToArray();
        int[] ys = Enumerable.Range(0, ny).Where(j => j % stride == 0 || j == ny - 1).ToArray();

        // plotly's surface takes z[row][column] with rows along y: z[j][i] = value at (α1 = x[i], α2 = y[j]).
        var z = new StringBuilder("[");
        foreach (int j in ys)
        {
            z.Append(j == ys[0] ? "[" : ",[");
            foreach (int i in xs)
            {
                z.Append(i == xs[0] ? string.Empty : ",").Append(Number(landscape.Values[(i * ny) + j]));
            }

            z.Append(']');
        }

        z.Append(']');
        string x = "[" + string.Join(",", xs.Select(i => Number(landscape.Axes[0][i]))) + "]";
        string y = "[" + string.Join(",", ys.Select(j => Number(landscape.Axes[1][j]))) + "]";
        string text = title ?? "Loss landscape";
        if (stride > 1)
        {
            text += $" (1 in {stride} samples along each axis of {nx} x {ny})";
        }

        string heading = System.Net.WebUtility.HtmlEncode(text);
        string layout = $"{{\"title\":{{\"text\":{Json(text)}}},\"scene\":{{\"xaxis\":{{\"title\":{{\"text\":{Json(landscape.Axes[0].Name)}}}}},\"yaxis\":{{\"title\":{{\"text\":{Json(landscape.Axes[1].Name)}}}}},\"zaxis\":{{\"title\":{{\"text\":\"loss\"}}}}}},\"autosize\":true}}";
        return $$"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>{{heading}}</title>
            {{scriptElement}}</head>
            <body style="margin:0"><div id="surface" style="width:100vw;height:100vh"></div>
            <script type="text/javascript">
            Plotly.newPlot("surface", [{"type":"surface","x":{{x}},"y":{{y}},"z":{{z}},"colorscale":"Viridis"}], {{layout}}, {"responsive":true});
            </script></body></html>
            """;
    }

    // Non-finite values become gaps (null), which plotly leaves out of the surface.
    private static string Number(double v) => double.IsFinite(v) ? v.ToString(CultureInfo.InvariantCulture) : "null";

    // A JSON string literal, escaped as JSON (and safe inside a <script> element); no reflection, so trimming and AOT keep it.
    private static string Json(string text)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(text);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
