using LossLandscape.Topology.Studies;

namespace LossLandscape.Topology.Tests.Studies;

public class ClaimTests
{
    [Test]
    public void CanGiveVerdictsOnlyWhenTheIntervalExcludesZero()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ClaimResult.VerdictOf(new RankCorrelation(0.8, 0.2, 0.95, 10, 0.95), +1), Is.EqualTo(ClaimVerdict.Supported));
            Assert.That(ClaimResult.VerdictOf(new RankCorrelation(0.8, 0.2, 0.95, 10, 0.95), -1), Is.EqualTo(ClaimVerdict.Contradicted));
            Assert.That(ClaimResult.VerdictOf(new RankCorrelation(-0.7, -0.9, -0.1, 10, 0.95), -1), Is.EqualTo(ClaimVerdict.Supported));
            Assert.That(ClaimResult.VerdictOf(new RankCorrelation(-0.7, -0.9, -0.1, 10, 0.95), +1), Is.EqualTo(ClaimVerdict.Contradicted));
            Assert.That(ClaimResult.VerdictOf(new RankCorrelation(0.9, -0.1, 1, 4, 0.95), +1), Is.EqualTo(ClaimVerdict.Inconclusive), "an interval touching 0 tells nothing");
            Assert.That(ClaimResult.VerdictOf(new RankCorrelation(0.5, 0, 0.9, 4, 0.95), +1), Is.EqualTo(ClaimVerdict.Inconclusive), "0 itself is inside");
            Assert.That(ClaimResult.VerdictOf(new RankCorrelation(double.NaN, double.NaN, double.NaN, 5, 0.95), +1), Is.EqualTo(ClaimVerdict.Inconclusive));
            Assert.That(ClaimResult.VerdictOf(new RankCorrelation(0.83, 2.2e-17, 1, 6, 0.95), +1), Is.EqualTo(ClaimVerdict.Inconclusive), "a lower end of 2e-17 is 0 plus rounding");
        });
    }

    [Test]
    public void CanMatchSpearmanByHandAndBootstrapReproducibly()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] y = [2, 1, 4, 3, 6, 5, 8, 7];   // ranks differ by swaps: ρ = 1 − 6Σd²/(n(n²−1)) = 1 − 48/504
        RankCorrelation c = RankCorrelation.Of(x, y, new BootstrapOptions { Resamples = 500, Seed = 4 });
        Assert.That(c.Rho, Is.EqualTo(1 - (48.0 / 504)).Within(1e-12));
        Assert.That(c.Low, Is.LessThanOrEqualTo(c.Rho).And.GreaterThan(0));
        Assert.That(c.High, Is.LessThanOrEqualTo(1));
        Assert.That(RankCorrelation.Of(x, y, new BootstrapOptions { Resamples = 500, Seed = 4 }), Is.EqualTo(c), "same seed, same interval");
        Assert.That(c.ExcludesZero, Is.True);
    }

    [Test]
    public void CanCallFewOrConstantRowsInconclusive()
    {
        Assert.That(RankCorrelation.Of([1, 2], [2, 1]).Rho, Is.NaN, "two rows");
        Assert.That(RankCorrelation.Of([1, 2, 3, 4], [5, 5, 5, 5]).Rho, Is.NaN, "a constant column");
        RankCorrelation three = RankCorrelation.Of([1, 2, 3], [1, 2, 3], new BootstrapOptions { Resamples = 300 });
        Assert.That(three.Rho, Is.EqualTo(1));
        var table = new SweepTable()
            .Add(new SweepRow(new Dictionary<string, string> { ["directions"] = "random" }, new Dictionary<string, double> { ["beta"] = 1, ["saddles"] = 2 }))
            .Add(new SweepRow(new Dictionary<string, string> { ["directions"] = "random" }, new Dictionary<string, double> { ["beta"] = 2, ["saddles"] = 1 }))
            .Add(new SweepRow(new Dictionary<string, string> { ["directions"] = "random" }, new Dictionary<string, double> { ["beta"] = 3, ["saddles"] = 3 }))
            .Add(new SweepRow(new Dictionary<string, string> { ["directions"] = "random" }, new Dictionary<string, double> { ["beta"] = 4, ["saddles"] = 2 }));
        Assert.That(new Claim("saddles rise with β", "saddles", "beta", "random", +1).Test(table).Verdict, Is.EqualTo(ClaimVerdict.Inconclusive));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Claim("x", "saddles", "beta", null, 0).Test(table));
    }

    [Test]
    public void CanDrawWholeClustersSoRepeatedRowsDoNotNarrowTheInterval()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] y = [2, 1, 4, 3, 6, 8, 5, 7];
        double[] x3 = [.. x.SelectMany(v => new[] { v, v, v })];
        double[] y3 = [.. y.SelectMany(v => new[] { v, v, v })];
        double[] groups = [.. Enumerable.Range(0, 8).SelectMany(g => new double[] { g, g, g })];
        RankCorrelation single = RankCorrelation.Of(x, y, new BootstrapOptions { Resamples = 400, Seed = 2 });
        RankCorrelation clustered = RankCorrelation.Of(x3, y3, new BootstrapOptions { Resamples = 400, Seed = 2 }, groups);
        RankCorrelation naive = RankCorrelation.Of(x3, y3, new BootstrapOptions { Resamples = 400, Seed = 2 });
        Assert.That((clustered.Rho, clustered.Low, clustered.High), Is.EqualTo((single.Rho, single.Low, single.High)).Using<(double, double, double)>((a, b) =>
            Math.Abs(a.Item1 - b.Item1) < 1e-12 && Math.Abs(a.Item2 - b.Item2) < 1e-12 && Math.Abs(a.Item3 - b.Item3) < 1e-12));
        Assert.That(naive.High - naive.Low, Is.LessThan(clustered.High - clustered.Low), "treating copies as independent rows overstates the evidence");
    }

    [Test]
    public void CanCountDrawsWithAConstantColumnAsNoAssociation()
    {
        // Twelve rows, only two non-zero: most bootstrap draws see a constant column. Skipping them would keep only
        // the draws that hold the two rare rows and call a trend "supported"; counted as ρ = 0, the interval holds 0.
        double[] x = [.. Enumerable.Range(1, 12).Select(i => (double)i)];
        double[] y = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1];
        RankCorrelation c = RankCorrelation.Of(x, y, new BootstrapOptions { Resamples = 2000, Seed = 1 });
        Assert.That(c.Rho, Is.GreaterThan(0));
        Assert.That(c.ExcludesZero, Is.False, $"[{c.Low}, {c.High}]");
    }

    [Test]
    public void CanWriteClaimsCsvWithTheDocumentedColumns()
    {
        string path = Path.Combine(Path.GetTempPath(), $"llt-claims-{Environment.ProcessId}.csv");
        try
        {
            var claim = new Claim("saddles rise with β, as the PINN fails", "saddles", "beta", "hessian", +1);
            StudyFiles.WriteClaims(path, [new ClaimResult(claim, new RankCorrelation(0.5, -0.2, 0.9, 6, 0.95), ClaimVerdict.Inconclusive)]);
            string[] lines = File.ReadAllLines(path);
            Assert.That(lines[0], Is.EqualTo("claim,metric,directions,spearman_rho,ci_low,ci_high,n,verdict"));
            Assert.That(lines[1], Is.EqualTo("\"saddles rise with β, as the PINN fails\",saddles vs beta,hessian,0.5,-0.2,0.9,6,inconclusive"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
