using System.Globalization;
using System.Net;
using System.Text;
using LossLandscape.Topology.Examples;

namespace PinnConvection;

/// <summary>The verdict on the paper's trends and the HTML report.</summary>
internal static class Report
{
    /// <summary>
    /// Whether this run reproduced the paper's trends, stated either way: Spearman's rank correlation of each metric
    /// with β (ρ ≥ 0.5 counts as rising), and the first β whose relative error exceeds 0.5 (the paper sees failure
    /// around β ≈ 7).
    /// </summary>
    public static string Trends(IReadOnlyList<StudyRow> rows)
    {
        var text = new StringBuilder();
        var betas = rows.Select(r => r.Beta).Distinct().Order().ToArray();
        if (betas.Length < 3)
        {
            return "Fewer than three values of β: too few to speak of trends.";
        }

        foreach (string kind in new[] { "random", "hessian" })
        {
            var subset = rows.Where(r => r.Directions == kind).OrderBy(r => r.Beta).ToArray();
            double[] b = subset.Select(r => r.Beta).ToArray();
            double saddles = RankCorrelation.Spearman(b, subset.Select(r => (double)r.Metrics.SaddleCount).ToArray());
            double persistence = RankCorrelation.Spearman(b, subset.Select(r => r.Metrics.AveragePersistence).ToArray());
            text.AppendLine(CultureInfo.InvariantCulture, $"{kind} directions: saddles {RankCorrelation.Verdict(saddles)} with β (Spearman ρ = {saddles:F2}); average persistence {RankCorrelation.Verdict(persistence)} with β (ρ = {persistence:F2}).");
        }

        var perBeta = rows.GroupBy(r => r.Beta).Select(g => g.First()).OrderBy(r => r.Beta).ToArray();
        double error = RankCorrelation.Spearman(perBeta.Select(r => r.Beta).ToArray(), perBeta.Select(r => r.AbsoluteError).ToArray());
        double eigen = RankCorrelation.Spearman(perBeta.Select(r => r.Beta).ToArray(), perBeta.Select(r => r.TopEigenvalue).ToArray());
        double trace = RankCorrelation.Spearman(perBeta.Select(r => r.Beta).ToArray(), perBeta.Select(r => r.Trace).ToArray());
        text.AppendLine(CultureInfo.InvariantCulture, $"Absolute error {RankCorrelation.Verdict(error)} with β (ρ = {error:F2}); top Hessian eigenvalue {RankCorrelation.Verdict(eigen)} (ρ = {eigen:F2}); Hessian trace {RankCorrelation.Verdict(trace)} (ρ = {trace:F2}).");
        StudyRow? failure = perBeta.FirstOrDefault(r => r.RelativeError > 0.5);
        text.AppendLine(failure is null
            ? "No β in this run has a relative error above 0.5: the failure the paper sees around β ≈ 7 did not appear (training may be too short or too long to compare)."
            : string.Create(CultureInfo.InvariantCulture, $"The PINN first fails (relative L2 error {failure.RelativeError:F2} > 0.5) at β = {failure.Beta}; the paper sees failure around β ≈ 7."));
        return text.ToString().TrimEnd();
    }

    public static void Write(string path, StudyOptions options, IReadOnlyList<StudyRow> rows, IReadOnlyList<string> sweeps, string verdict, TimeSpan elapsed)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>PINN convection: loss landscape topology</title>
            <style>body{font-family:sans-serif;max-width:1300px;margin:2em auto;padding:0 1em}img{max-width:100%;border:1px solid #ddd}
            table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}
            .row{display:flex;flex-wrap:wrap;gap:8px}.row img{width:32%}.wide img{width:49%}pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}</style></head><body>
            <h1>PINN convection study: the topology of the loss landscape</h1>
            <p>u<sub>t</sub> + β u<sub>x</sub> = 0 on x ∈ [0, 2π), t ∈ [0, 1], u(x, 0) = sin x, periodic boundary; a tanh MLP
            trained on initial + residual + boundary losses, after the paper's Sec. 3.2 (Figs. 2 and 6).</p>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<p>Run: β ∈ {{{string.Join(", ", options.Betas)}}}, {options.AdamSteps} Adam steps (lr {options.LearningRate})");
        html.Append(CultureInfo.InvariantCulture, $"{(options.LbfgsSteps > 0 ? $" + {options.LbfgsSteps} L-BFGS" : string.Empty)}, {options.CollocationPoints} collocation points, {options.GridSize}×{options.GridSize} landscapes on [−{options.Range}, {options.Range}]², seed {options.Seed}, device {WebUtility.HtmlEncode(options.Device)}; {elapsed:mm\\:ss} in all.</p>");
        html.Append("<h2>Were the paper's trends reproduced?</h2><pre>").Append(WebUtility.HtmlEncode(verdict)).Append("</pre>");
        html.Append("""
            <p>Merge trees and diagrams use 8-neighbour pixel connectivity; average persistence pairs the essential class
            with the global maximum as TTK (and so the paper) does; <code>avg_persistence_finite</code> in metrics.csv leaves it out.
            Random directions are filter-normalised (Li et al. 2018); Hessian directions are the top-2 eigenvectors scaled to ‖θ‖.</p>
            """);
        html.Append("<h2>Metrics</h2><table><tr><th>β</th><th>directions</th><th>abs error</th><th>rel error</th><th>minima</th><th>saddles</th><th>avg persistence</th><th>λ<sub>1</sub></th><th>trace</th></tr>");
        foreach (StudyRow r in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{r.Beta}</td><td>{r.Directions}</td><td>{r.AbsoluteError:F4}</td><td>{r.RelativeError:F3}</td><td>{r.Metrics.MinimumCount}</td><td>{r.Metrics.SaddleCount}</td><td>{r.Metrics.AveragePersistence:G4}</td><td>{r.TopEigenvalue:G4}</td><td>{r.Trace:G4}</td></tr>");
        }

        html.Append("</table><p>All numbers: <a href=\"metrics.csv\">metrics.csv</a>.</p><h2>Against β (Fig. 6)</h2><div class=\"row wide\">");
        foreach (string sweep in sweeps)
        {
            html.Append(CultureInfo.InvariantCulture, $"<img src=\"{sweep}\">");
        }

        html.Append("</div>");
        foreach (double beta in rows.Select(r => r.Beta).Distinct())
        {
            string tag = $"beta_{beta.ToString(CultureInfo.InvariantCulture)}";
            html.Append(CultureInfo.InvariantCulture, $"<h2>β = {beta}</h2><div class=\"row wide\"><img src=\"{tag}/solution_predicted.png\"><img src=\"{tag}/solution_exact.png\"></div>");
            foreach (string kind in new[] { "random", "hessian" })
            {
                html.Append(CultureInfo.InvariantCulture, $"<h3>{kind} directions (<a href=\"{tag}/{kind}_surface.html\">3-D surface</a>)</h3><div class=\"row\">");
                html.Append(CultureInfo.InvariantCulture, $"<img src=\"{tag}/{kind}_landscape.png\"><img src=\"{tag}/{kind}_merge_tree.png\"><img src=\"{tag}/{kind}_persistence_diagram.png\"></div>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<div class=\"row wide\"><img src=\"{tag}/hessian_density.png\"></div>");
        }

        html.Append("</body></html>");
        File.WriteAllText(path, html.ToString());
    }
}
