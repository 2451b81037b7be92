using System.Globalization;
using ResidualNetworks;

namespace LossLandscape.Topology.Examples.Tests;

/// <summary>The ResNet case study at a tiny size, on Debian's Fashion-MNIST (dataset-fashion-mnist, installed by .ci/run).</summary>
public class ResidualNetworksSmokeTests
{
    [Test]
    [Category("Slow")] // trains and analyses real models end to end
    public void CanRunTheStudyEndToEndAtTinySize()
    {
        if (!File.Exists(Path.Combine(FashionMnist.DebianFolder, "t10k-images-idx3-ubyte.gz")))
        {
            Assert.Ignore("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        }

        string output = Directory.CreateTempSubdirectory("llt-resnet").FullName;
        try
        {
            var options = new ResNetOptions { TrainImages = 256, TestImages = 64, Epochs = 1, Width = 4, Seeds = [7, 8], DirectionSeeds = 2, GridSize = 3, HutchPlusPlusProducts = 6, Output = output, Quiet = true };
            StudyResult result = ResNetStudy.Run(options, new StringWriter());
            Assert.That(result.Sweep.Table.Rows, Has.Count.EqualTo(2 * 2 * 2), "2 seeds × 2 networks × 2 direction seeds");
            string[] csv = File.ReadAllLines(Path.Combine(output, "metrics.csv"));
            Assert.That(csv, Has.Length.EqualTo(9));
            string[] header = csv[0].Split(',');
            Assert.That(header, Is.SupersetOf(new[] { "directions", "network", "residual", "seed", "test_accuracy", "saddles", "avg_persistence", "avg_persistence_finite", "top_eigenvalue", "trace" }));
            foreach (string line in csv.Skip(1))
            {
                string[] fields = line.Split(',');
                for (int c = 0; c < fields.Length; c++)
                {
                    if (header[c] is "directions" or "network")
                    {
                        continue;
                    }

                    if (header[c] == "second_eigenvalue")
                    {
                        Assert.That(fields[c], Is.EqualTo("nan"), "the study asks for the top eigenvalue only");
                        continue;
                    }

                    Assert.That(double.IsFinite(double.Parse(fields[c], CultureInfo.InvariantCulture)), Is.True, $"{header[c]} in {line}");
                }
            }

            foreach (string prefix in new[] { "residual_seed7", "plain_seed7", "residual_seed8", "plain_seed8" })
            {
                foreach (string suffix in new[] { "_landscape.png", "_accuracy.png", "_merge_tree.png", "_persistence_diagram.png", "_surface.html", "_landscape.npy", "_landscape.vti" })
                {
                    Assert.That(new FileInfo(Path.Combine(output, prefix + suffix)).Length, Is.GreaterThan(100), prefix + suffix);
                }
            }

            string[] claims = File.ReadAllLines(Path.Combine(output, "claims.csv"));
            Assert.That(claims, Has.Length.EqualTo(ResNetStudy.Claims.Count + 1));
            Assert.That(claims.Skip(1).Select(l => l.Split(',')[^1]), Is.All.AnyOf("supported", "contradicted", "inconclusive"));
            Assert.That(File.ReadAllText(Path.Combine(output, "report.html")), Does.Contain("The paper's claims against this run"));
            int accuracy = Array.IndexOf(header, "test_accuracy");
            Assert.That(csv.Skip(1).Select(l => double.Parse(l.Split(',')[accuracy], CultureInfo.InvariantCulture)), Is.All.InRange(0.0, 1.0));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Test]
    public void LoadFailsWithTheInstallCommandWhenDataIsMissing()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load("/nonexistent", train: false, 10));
        Assert.That(ex!.Message, Does.Contain("apt-get install dataset-fashion-mnist").And.Contain("--data"));
    }

    [Test]
    public void NoOptionsGiveTheDocumentedDefaultsAndBadOnesAreNamed()
    {
        var defaults = new ResNetOptions();
        ResNetOptions none = ResNetOptions.Parse([]);
        Assert.That(none.Seeds, Is.EqualTo(defaults.Seeds));
        Assert.That(none with { Seeds = defaults.Seeds }, Is.EqualTo(defaults));
        ResNetOptions given = ResNetOptions.Parse(["--seeds", "7,8", "--grid", "5", "--threads", "1", "--quiet"]);
        Assert.That((given.Seeds, given.GridSize, given.Threads, given.Quiet), Is.EqualTo((new[] { 7, 8 }, 5, (int?)1, true)));
        Assert.That(Assert.Throws<ArgumentException>(() => ResNetOptions.Parse(["--seeds", "7,x"]))!.Message, Does.Contain("--seeds").And.Contain("'7,x'"));
    }
}
