using System.Globalization;
using PinnConvection;

namespace LossLandscape.Topology.Examples.Tests;

/// <summary>The main job at a tiny size: every output is written and metrics.csv is complete and finite.</summary>
public class PinnConvectionSmokeTests
{
    [Test]
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
            IReadOnlyList<StudyRow> rows = ConvectionStudy.Run(options, log);
            Assert.That(rows, Has.Count.EqualTo(6));

            string[] csv = File.ReadAllLines(Path.Combine(output, "metrics.csv"));
            Assert.That(csv, Has.Length.EqualTo(7));
            string[] header = csv[0].Split(',');
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

                    double value = double.Parse(fields[c], CultureInfo.InvariantCulture);
                    Assert.That(double.IsFinite(value), Is.True, $"{header[c]} = {fields[c]}");
                }
            }

            Assert.That(csv.Skip(1).Select(l => l.Split(',')[0]).Distinct(), Is.EqualTo(new[] { "1", "4", "8" }));
            foreach (string beta in new[] { "beta_1", "beta_4", "beta_8" })
            {
                foreach (string file in new[]
                {
                    "solution_predicted.png", "solution_exact.png", "hessian_density.png",
                    "random_landscape.png", "random_merge_tree.png", "random_persistence_diagram.png", "random_surface.html",
                    "random_landscape.npy", "random_landscape.vti", "random_merge_tree.vtp", "random_persistence_diagram.csv",
                    "hessian_landscape.png", "hessian_merge_tree.png", "hessian_persistence_diagram.png", "hessian_surface.html",
                })
                {
                    string path = Path.Combine(output, beta, file);
                    Assert.That(new FileInfo(path).Length, Is.GreaterThan(100), path);
                }
            }

            Assert.That(Directory.GetFiles(Path.Combine(output, "figures"), "sweep_*.png"), Has.Length.EqualTo(12));
            string report = File.ReadAllText(Path.Combine(output, "report.html"));
            Assert.That(report, Does.Contain("Were the paper's trends reproduced?").And.Contain("beta_8/hessian_landscape.png"));
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
        StudyOptions options = StudyOptions.Parse(["--betas", "1..4", "--grid", "9", "--steps", "10"]);
        Assert.That(options.Betas, Is.EqualTo(new double[] { 1, 2, 3, 4 }));
        Assert.That((options.GridSize, options.AdamSteps), Is.EqualTo((9, 10)));
        Assert.That(StudyOptions.Parse(["--full"]).GridSize, Is.EqualTo(41));
        Assert.That(Assert.Throws<ArgumentException>(() => StudyOptions.Parse(["--bogus"]))!.Message, Does.Contain("--bogus"));
    }

    [Test]
    public void CanRankCorrelateWithTies()
    {
        Assert.That(LossLandscape.Topology.Examples.RankCorrelation.Spearman([1, 2, 3, 4], [10, 20, 30, 40]), Is.EqualTo(1).Within(1e-12));
        Assert.That(LossLandscape.Topology.Examples.RankCorrelation.Spearman([1, 2, 3, 4], [4, 3, 2, 1]), Is.EqualTo(-1).Within(1e-12));
        Assert.That(LossLandscape.Topology.Examples.RankCorrelation.Spearman([1, 2, 3], [5, 5, 5]), Is.NaN);
    }
}
