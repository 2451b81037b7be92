using System.Globalization;
using ResidualNetworks;

namespace LossLandscape.Topology.Examples.Tests;

/// <summary>The ResNet case study at a tiny size, on Debian's Fashion-MNIST (dataset-fashion-mnist, installed by .ci/run).</summary>
public class ResidualNetworksSmokeTests
{
    [Test]
    public void CanRunTheStudyEndToEndAtTinySize()
    {
        if (!File.Exists(Path.Combine(FashionMnist.DebianFolder, "t10k-images-idx3-ubyte.gz")))
        {
            Assert.Ignore("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        }

        string output = Directory.CreateTempSubdirectory("llt-resnet").FullName;
        try
        {
            var options = new ResNetOptions { TrainImages = 256, TestImages = 64, Epochs = 1, Width = 4, Seeds = [7], GridSize = 3, HutchPlusPlusProducts = 6, Output = output, Quiet = true };
            IReadOnlyList<ResNetRow> rows = ResNetStudy.Run(options, new StringWriter());
            Assert.That(rows.Select(r => r.Architecture), Is.EqualTo(new[] { "residual", "plain" }));
            string[] csv = File.ReadAllLines(Path.Combine(output, "metrics.csv"));
            Assert.That(csv, Has.Length.EqualTo(3));
            foreach (string line in csv.Skip(1))
            {
                foreach (string field in line.Split(',').Skip(1))
                {
                    Assert.That(double.IsFinite(double.Parse(field, CultureInfo.InvariantCulture)), Is.True, line);
                }
            }

            foreach (string prefix in new[] { "residual_seed7", "plain_seed7" })
            {
                foreach (string suffix in new[] { "_landscape.png", "_accuracy.png", "_merge_tree.png", "_persistence_diagram.png", "_surface.html", "_landscape.npy", "_landscape.vti" })
                {
                    Assert.That(new FileInfo(Path.Combine(output, prefix + suffix)).Length, Is.GreaterThan(100), prefix + suffix);
                }
            }

            Assert.That(File.ReadAllText(Path.Combine(output, "report.html")), Does.Contain("Does the paper's finding hold?"));
            Assert.That(rows.All(r => r.TestAccuracy is >= 0 and <= 1), Is.True);
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
}
