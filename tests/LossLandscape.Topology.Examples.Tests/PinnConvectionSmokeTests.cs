using System.Globalization;
using PinnConvection;

namespace LossLandscape.Topology.Examples.Tests;

/// <summary>The main job at a tiny size: every output is written and metrics.csv is complete and finite.</summary>
public class PinnConvectionSmokeTests
{
    [Test]
    [Category("Slow")] // trains and analyses real models end to end
    public void CanRunTheStudyEndToEndAtTinySize()
    {
        string output = Directory.CreateTempSubdirectory("llt-pinn").FullName;
        try
        {
            var options = new StudyOptions
            {
                Betas = [1, 4, 8],
                AdamSteps = 20,
                GridSize = 5,
                CollocationPoints = 64,
                InitialPoints = 32,
                BoundaryPoints = 16,
                Width = 12,
                Depth = 2,
                HutchPlusPlusProducts = 9,
                DensitySteps = 10,
                Output = output,
                Quiet = true,
            };
            var log = new StringWriter();
            StudyResult result = ConvectionStudy.Run(options, log);
            Assert.That(result.Sweep.Table.Rows, Has.Count.EqualTo(3 * 4), "3 random subspaces and the Hessian one per β");

            string[] csv = File.ReadAllLines(Path.Combine(output, "metrics.csv"));
            Assert.That(csv, Has.Length.EqualTo(13));
            string[] header = csv[0].Split(',');
            Assert.That(header, Is.SupersetOf(new[] { "beta", "directions", "direction_seed", "rel_error", "abs_error", "minima", "boundary_minima", "saddles", "avg_persistence", "avg_persistence_finite", "top_eigenvalue", "trace" }));
            foreach (string line in csv.Skip(1))
            {
                string[] fields = line.Split(',');
                Assert.That(fields, Has.Length.EqualTo(header.Length));
                for (int c = 0; c < fields.Length; c++)
                {
                    if (header[c] == "directions")
                    {
                        Assert.That(fields[c], Is.AnyOf("random", "hessian"));
                        continue;
                    }

                    if (header[c] == "direction_seed" && fields[Array.IndexOf(header, "directions")] == "hessian")
                    {
                        Assert.That(fields[c], Is.EqualTo("nan"), "Hessian directions have no seed");
                        continue;
                    }

                    double value = double.Parse(fields[c], CultureInfo.InvariantCulture);
                    Assert.That(double.IsFinite(value), Is.True, $"{header[c]} = {fields[c]}");
                }
            }

            int beta = Array.IndexOf(header, "beta");
            Assert.That(csv.Skip(1).Select(l => l.Split(',')[beta]).Distinct(), Is.EqualTo(new[] { "1", "4", "8" }));
            foreach (string folder in new[] { "beta_1", "beta_4", "beta_8" })
            {
                foreach (string file in new[]
                {
                    "solution_predicted.png", "solution_exact.png", "hessian_density.png",
                    "random_landscape.png", "random_merge_tree.png", "random_persistence_diagram.png", "random_surface.html",
                    "random_landscape.npy", "random_landscape.vti", "random_merge_tree.vtp", "random_persistence_diagram.csv",
                    "hessian_landscape.png", "hessian_merge_tree.png", "hessian_persistence_diagram.png", "hessian_surface.html",
                })
                {
                    string path = Path.Combine(output, folder, file);
                    Assert.That(new FileInfo(path).Length, Is.GreaterThan(100), path);
                }
            }

            string[] claims = File.ReadAllLines(Path.Combine(output, "claims.csv"));
            Assert.That(claims[0], Is.EqualTo("claim,metric,directions,spearman_rho,ci_low,ci_high,n,verdict"));
            Assert.That(claims, Has.Length.EqualTo(ConvectionStudy.Claims.Count + 1));
            Assert.That(claims.Skip(1).Select(l => l.Split(',')[^1]), Is.All.AnyOf("supported", "contradicted", "inconclusive"));
            Assert.That(result.Claims.Where(c => c.Claim.Directions == "random").Select(c => c.Correlation.Count), Is.All.EqualTo(9), "3 seeds × 3 β");
            Assert.That(Directory.GetFiles(Path.Combine(output, "figures"), "claim_*.png"), Has.Length.EqualTo(ConvectionStudy.Claims.Count));
            string report = File.ReadAllText(Path.Combine(output, "report.html"));
            Assert.That(report, Does.Contain("The paper's claims against this run").And.Contain("beta_8/hessian_landscape.png").And.Contain("avg_persistence_finite"));
            Assert.That(log.ToString(), Does.Contain("Report:"));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Test]
    public void CanParseOptionsAndRejectUnknownOnes()
    {
        StudyOptions options = StudyOptions.Parse(["--betas", "1..4", "--grid", "9", "--steps", "10", "--direction-seeds", "2", "--threads", "1"]);
        Assert.That(options.Betas, Is.EqualTo(new double[] { 1, 2, 3, 4 }));
        Assert.That((options.GridSize, options.AdamSteps, options.DirectionSeeds, options.Threads), Is.EqualTo((9, 10, 2, (int?)1)));
        Assert.That(new StudyOptions().Betas[^1], Is.EqualTo(40), "the default sweep reaches the failure regime");
        Assert.That(StudyOptions.Parse(["--full"]).GridSize, Is.EqualTo(41));
        Assert.That(StudyOptions.Parse(["--full"]).Betas, Is.EqualTo(StudyOptions.Full.Betas));
        Assert.That(StudyOptions.Parse(["--full", "--grid", "21"]).GridSize, Is.EqualTo(21), "an explicit option wins over --full");

        // No options: exactly the documented defaults (the README's main command runs this).
        var defaults = new StudyOptions();
        StudyOptions none = StudyOptions.Parse([]);
        Assert.That(none.Betas, Is.EqualTo(defaults.Betas));
        Assert.That(none with { Betas = defaults.Betas }, Is.EqualTo(defaults));
        Assert.That(Assert.Throws<ArgumentException>(() => StudyOptions.Parse(["--bogus"]))!.Message, Does.Contain("--bogus"));
    }
}
