using System.Globalization;
using System.Net;
using System.Text;
using LossLandscape.Topology.Studies;

namespace LossLandscape.Topology.Plotting;

/// <summary>What a study report says beside its tables.</summary>
public sealed record StudyReportOptions
{
    /// <summary>The defaults.</summary>
    public static StudyReportOptions Default { get; } = new();

    /// <summary>The report's title.</summary>
    public string Title { get; init; } = "Loss landscape study";

    /// <summary>Paragraphs of plain text shown under the title (what was run, with which settings).</summary>
    public IReadOnlyList<string> Description { get; init; } = [];

    /// <summary>How to label a claim's swept column (e.g. <c>beta</c> → β).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Columns that encode named conditions (e.g. <c>residual</c>: 0 → "plain", 1 → "residual"), drawn as categories in the claim figures.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<double, string>> Categories { get; init; } = new Dictionary<string, IReadOnlyDictionary<double, string>>();

    /// <summary>Numeric columns shown in the report's metrics table (all columns go to metrics.csv).</summary>
    public IReadOnlyList<string> TableColumns { get; init; } = ["minima", "boundary_minima", "saddles", "avg_persistence", "avg_persistence_finite", "top_eigenvalue", "trace"];

    /// <summary>Further sections: a heading and pictures (paths relative to the report's folder).</summary>
    public IReadOnlyList<(string Heading, IReadOnlyList<string> Images)> Sections { get; init; } = [];
}

/// <summary>
/// Writes a study folder: <c>metrics.csv</c> (every row and column of the table), <c>claims.csv</c> (one row per
/// claim: ρ, bootstrap interval, n, verdict; only when claims are given), one figure per claim in <c>figures/</c>, and <c>report.html</c>, which
/// states each claim next to this run's result and shows both persistence conventions. The case studies and
/// <c>llt</c> use this one writer.
/// </summary>
public static class StudyReport
{
    /// <summary>Writes the folder (created if missing) and returns the path of report.html.</summary>
    public static string Write(string folder, SweepTable table, IReadOnlyList<ClaimResult> claims, StudyReportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(claims);
        options ??= StudyReportOptions.Default;
        Directory.CreateDirectory(Path.Combine(folder, "figures"));
        StudyFiles.WriteTable(Path.Combine(folder, "metrics.csv"), table);
        if (claims.Count > 0)
        {
            StudyFiles.WriteClaims(Path.Combine(folder, "claims.csv"), claims);
        }

        var figures = new List<string>();
        for (int i = 0; i < claims.Count; i++)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"figures/claim_{i + 1}_{Slug(claims[i].Claim.Metric)}_{claims[i].Claim.Directions ?? "all"}.png");
            PlotFiles.Save(ClaimPlot.Create(table, claims[i], Label(options, claims[i].Claim.Against), options.Categories.GetValueOrDefault(claims[i].Claim.Against)), Path.Combine(folder, name), 760, 460);
            figures.Add(name);
        }

        string path = Path.Combine(folder, "report.html");
        File.WriteAllText(path, Html(table, claims, figures, options));
        return path;
    }

    private static string Html(SweepTable table, IReadOnlyList<ClaimResult> claims, List<string> figures, StudyReportOptions options)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        // Whole numbers (counts, seeds) in full; others to four significant digits.
        static string N(double v) => double.IsNaN(v) ? "—"
            : v == Math.Round(v) && Math.Abs(v) < 1e15 ? v.ToString("0", CultureInfo.InvariantCulture)
            : v.ToString("G4", CultureInfo.InvariantCulture);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>{{E(options.Title)}}</title>
            <style>body{font-family:sans-serif;max-width:1300px;margin:2em auto;padding:0 1em;line-height:1.4}
            img{max-width:100%;border:1px solid #ddd}h1,h2,h3{overflow-wrap:anywhere}
            table{border-collapse:collapse;font-size:13px;margin:1em 0;display:block;overflow-x:auto;max-width:100%}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}
            td.t,th.t{text-align:left}.supported{background:#dff3df}.contradicted{background:#f8dcdc}.inconclusive{background:#f2f2f2}
            .row{display:flex;flex-wrap:wrap;gap:8px}.row img{width:32%}.wide img{width:49%}</style></head><body>
            <h1>{{E(options.Title)}}</h1>
            """);
        foreach (string paragraph in options.Description)
        {
            html.Append("<p>").Append(E(paragraph)).Append("</p>");
        }

        if (claims.Count > 0)
        {
            html.Append("""
                <h2>The paper's claims against this run</h2>
                <p>Each claim is tested by Spearman's rank correlation between the two columns over the run's rows, with a 95%
                percentile-bootstrap interval over the rows. A claim is <b>supported</b> or <b>contradicted</b> only when the
                interval excludes 0; otherwise it is <b>inconclusive</b>.</p>
                <table><tr><th class="t">claim (paper)</th><th class="t">metric</th><th class="t">directions</th><th>ρ</th><th>95% interval</th><th>n</th><th class="t">verdict</th></tr>
                """);
            foreach (ClaimResult r in claims)
            {
                string verdict = r.Verdict.ToString().ToLowerInvariant();
                RankCorrelation c = r.Correlation;
                html.Append(CultureInfo.InvariantCulture, $"<tr class=\"{verdict}\"><td class=\"t\">{E(r.Claim.Text)}</td><td class=\"t\">{E(r.Claim.Metric)} vs {E(Label(options, r.Claim.Against))}</td><td class=\"t\">{E(r.Claim.Directions ?? "all")}</td><td>{N(c.Rho)}</td><td>[{N(c.Low)}, {N(c.High)}]</td><td>{c.Count}</td><td class=\"t\">{verdict}</td></tr>");
            }

            html.Append("</table><p>Data: <a href=\"claims.csv\">claims.csv</a>.</p>");
        }

        html.Append("""
            <p>All numbers: <a href="metrics.csv">metrics.csv</a>.</p>
            <h2>Metrics, with both persistence conventions</h2>
            <p><code>avg_persistence</code> pairs the essential class with the global maximum as TTK (and so the paper's numbers)
            does; it is dominated by (highest loss − lowest loss) / (number of minima). <code>avg_persistence_finite</code>
            averages the finite pairs alone. <code>boundary_minima</code> counts minima on the edge of the sampled window.</p>
            """);
        IReadOnlyList<string> texts = table.TextColumns;
        string[] conditions = table.NumberColumns.Where(c => !options.TableColumns.Contains(c) && !c.StartsWith("landscape_", StringComparison.Ordinal)
            && c is not ("saddle_pairs" or "max_persistence" or "persistence_entropy" or "second_eigenvalue" or "trace_std_error" or "hessian_products")).ToArray();
        string[] columns = [.. conditions, .. options.TableColumns.Where(c => table.NumberColumns.Contains(c))];
        html.Append("<table><tr>");
        foreach (string c in texts)
        {
            html.Append("<th class=\"t\">").Append(E(c)).Append("</th>");
        }

        foreach (string c in columns)
        {
            html.Append("<th>").Append(E(Label(options, c))).Append("</th>");
        }

        html.Append("</tr>");
        foreach (SweepRow row in table.Rows)
        {
            html.Append("<tr>");
            foreach (string c in texts)
            {
                html.Append("<td class=\"t\">").Append(E(row.Texts.TryGetValue(c, out string? v) ? v : string.Empty)).Append("</td>");
            }

            foreach (string c in columns)
            {
                html.Append("<td>").Append(row.Numbers.TryGetValue(c, out double v) ? N(v) : string.Empty).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
        if (figures.Count > 0)
        {
            html.Append("<h2>Claims, point by point</h2><div class=\"row wide\">");
            foreach (string figure in figures)
            {
                html.Append(CultureInfo.InvariantCulture, $"<img src=\"{E(figure)}\">");
            }

            html.Append("</div>");
        }
        foreach ((string heading, IReadOnlyList<string> images) in options.Sections)
        {
            html.Append("<h2>").Append(E(heading)).Append("</h2><div class=\"row\">");
            foreach (string image in images)
            {
                html.Append(image.EndsWith(".html", StringComparison.OrdinalIgnoreCase)
                    ? $"<p><a href=\"{E(image)}\">{E(Path.GetFileName(image))}</a></p>"
                    : $"<img src=\"{E(image)}\">");
            }

            html.Append("</div>");
        }

        html.Append("</body></html>");
        return html.ToString();
    }

    private static string Label(StudyReportOptions options, string column) => options.Labels.TryGetValue(column, out string? label) ? label : column;

    private static string Slug(string text) => new(text.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
}
