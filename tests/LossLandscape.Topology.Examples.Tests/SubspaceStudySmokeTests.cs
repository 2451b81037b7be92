using System.Globalization;
using PinnConvection;

namespace LossLandscape.Topology.Examples.Tests;

/// <summary>The Hessian-subspace study at a tiny size: every file is written, each cell of the design has its row, and the intervals are the t-intervals of the rows.</summary>
public class SubspaceStudySmokeTests
{
    [Test]
    public void CanRunTheSubspaceStudyAtTinySize()
    {
        string output = Directory.CreateTempSubdirectory("llt-subspaces").FullName;
        try
        {
            var options = new SubspaceOptions
            {
                Dimensions = [3, 4],
                Samples = [60, 120],
                DesignSeeds = 3,
                Neighbors = 8,
                AdamSteps = 20,
                CollocationPoints = 64,
                InitialPoints = 32,
                BoundaryPoints = 16,
                Width = 12,
                Depth = 2,
                Output = output,
                Quiet = true,
            };
            var log = new StringWriter();
            SubspaceResult result = SubspaceStudy.Run(options, log);
            Assert.That(result.Rows, Has.Count.EqualTo(2 * 2 * 3));
            Assert.That(result.Summary, Has.Count.EqualTo(4 * 2 * 2), "four measures per k and N");

            string[] rows = File.ReadAllLines(Path.Combine(output, "landscapes.csv"));
            Assert.That(rows[0], Is.EqualTo("dimensions,samples,design_seed,minima,saddles,avg_persistence,avg_persistence_finite"));
            Assert.That(rows, Has.Length.EqualTo(13));

            // The interval of one cell, recomputed from its rows: mean ± t(0.975, 2) · sd / √3.
            double[] minima = rows.Skip(1).Select(r => r.Split(',')).Where(f => f[0] == "4" && f[1] == "120").Select(f => double.Parse(f[3], CultureInfo.InvariantCulture)).ToArray();
            double mean = minima.Average();
            double sd = Math.Sqrt(minima.Sum(m => (m - mean) * (m - mean)) / 2);
            SubspaceSummary cell = result.Summary.Single(s => s.Measure == "minima" && s.Dimensions == 4 && s.Samples == 120);
            Assert.That(cell.Mean, Is.EqualTo(mean).Within(1e-12));
            Assert.That(cell.High - cell.Mean, Is.EqualTo(4.302652729749464 * sd / Math.Sqrt(3)).Within(1e-9));

            foreach (string figure in new[] { "minima", "saddles", "avg_persistence", "avg_persistence_finite" })
            {
                Assert.That(new FileInfo(Path.Combine(output, $"{figure}_vs_dimensions.png")).Length, Is.GreaterThan(10_000), figure);
            }

            string[] readings = File.ReadAllLines(Path.Combine(output, "readings.txt"));
            Assert.That(readings, Has.Length.EqualTo(4 * 2));
            Assert.That(readings.All(r => r.StartsWith("rises", StringComparison.Ordinal) || r.StartsWith("falls", StringComparison.Ordinal) || r.StartsWith("inconclusive", StringComparison.Ordinal)), Is.True);
            Assert.That(log.ToString(), Does.Contain("top 4 Hessian eigenvalues"));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Test]
    public void CanParseItsOptionsAndRefuseBadOnes()
    {
        SubspaceOptions o = SubspaceOptions.Parse(["--dims", "10,3,5", "--samples", "100,50", "--design-seeds", "4", "--beta", "20"]);
        Assert.That(o.Dimensions, Is.EqualTo(new[] { 3, 5, 10 }));
        Assert.That(o.Samples, Is.EqualTo(new[] { 50, 100 }));
        Assert.That((o.DesignSeeds, o.Beta), Is.EqualTo((4, 20.0)));
        Assert.That(() => SubspaceOptions.Parse(["--dims", "0,3"]), Throws.ArgumentException.With.Message.Contains("--dims"));
        Assert.That(() => SubspaceOptions.Parse(["--dims", "26"]), Throws.ArgumentException.With.Message.Contains("--dims"));
        Assert.That(() => SubspaceOptions.Parse(["--design-seeds", "1"]), Throws.ArgumentException.With.Message.Contains("--design-seeds"));
        Assert.That(() => SubspaceOptions.Parse(["--samples", "a"]), Throws.ArgumentException.With.Message.Contains("--samples"));
    }
}
