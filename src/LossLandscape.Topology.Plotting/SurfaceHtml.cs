using System.Globalization;
using System.Text;
using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Plotting;

/// <summary>
/// An interactive 3-D surface of a 2-D grid landscape as one self-contained HTML file: plotly.js (the copy that
/// ships inside the Plotly.NET package) is embedded, so the page opens offline.
/// </summary>
public static class SurfaceHtml
{
    private static readonly Lazy<string> PlotlyScript = new(() =>
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        string name = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    });

    /// <summary>Writes the surface page to <paramref name="path"/>.</summary>
    public static void Save(Landscape landscape, string path, string? title = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, Create(landscape, title));
    }

    /// <summary>The surface page as a string.</summary>
    /// <exception cref="ArgumentException">The landscape is not a 2-D grid.</exception>
    public static string Create(Landscape landscape, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(landscape);
        if (!landscape.IsGrid || landscape.Dimension != 2)
        {
            throw new ArgumentException($"A surface needs a 2-D grid landscape; got {landscape}.", nameof(landscape));
        }

        int nx = landscape.Shape[0];
        int ny = landscape.Shape[1];

        // plotly's surface takes z[row][column] with rows along y: z[j][i] = value at (α1 = x[i], α2 = y[j]).
        var z = new StringBuilder("[");
        for (int j = 0; j < ny; j++)
        {
            z.Append(j == 0 ? "[" : ",[");
            for (int i = 0; i < nx; i++)
            {
                z.Append(i == 0 ? string.Empty : ",").Append(Number(landscape.Values[(i * ny) + j]));
            }

            z.Append(']');
        }

        z.Append(']');
        string x = "[" + string.Join(",", landscape.Axes[0].Coordinates.ToArray().Select(Number)) + "]";
        string y = "[" + string.Join(",", landscape.Axes[1].Coordinates.ToArray().Select(Number)) + "]";
        string heading = System.Net.WebUtility.HtmlEncode(title ?? "Loss landscape");
        string layout = $"{{\"title\":{{\"text\":{Json(title ?? "Loss landscape")}}},\"scene\":{{\"xaxis\":{{\"title\":{{\"text\":{Json(landscape.Axes[0].Name)}}}}},\"yaxis\":{{\"title\":{{\"text\":{Json(landscape.Axes[1].Name)}}}}},\"zaxis\":{{\"title\":{{\"text\":\"loss\"}}}}}},\"autosize\":true}}";
        return $$"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>{{heading}}</title>
            <script type="text/javascript">{{PlotlyScript.Value}}</script></head>
            <body style="margin:0"><div id="surface" style="width:100vw;height:100vh"></div>
            <script type="text/javascript">
            Plotly.newPlot("surface", [{"type":"surface","x":{{x}},"y":{{y}},"z":{{z}},"colorscale":"Viridis"}], {{layout}}, {"responsive":true});
            </script></body></html>
            """;
    }

    // Non-finite values become gaps (null), which plotly leaves out of the surface.
    private static string Number(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null";

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
