using System.IO.Compression;
using LossLandscape.Topology.IO;
using PureHDF;

namespace LossLandscape.Topology.Cli.Tests;

/// <summary>llt on other tools' files (.h5, .npz) and its System.CommandLine surface: help, completion, suggestions.</summary>
public class OtherFormatsAndCompletionTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("llt-formats").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    // Two basins along x on a 4 × 3 grid, laid out as loss-landscape lays out its datasets (x fastest).
    private string WriteSurface()
    {
        double[] x = [-1, -0.5, 0.5, 1];
        double[] y = [-1, 0, 1];
        var loss = new double[3, 4];
        var accuracy = new double[3, 4];
        for (int j = 0; j < 3; j++)
        {
            for (int i = 0; i < 4; i++)
            {
                loss[j, i] = (i is 0 or 3 ? 0 : 1) + (y[j] * y[j]) + (0.01 * i);
                accuracy[j, i] = (i is 0 or 3 ? 1 : 0) + (0.01 * i) + (0.001 * j);
            }
        }

        string path = Path.Combine(_folder, "surface.h5");
        new H5File { ["xcoordinates"] = x, ["ycoordinates"] = y, ["train_loss"] = loss, ["train_acc"] = accuracy }.Write(path);
        return path;
    }

    [Test]
    public void AnalyzesLossLandscapeSurfacesAndLandscaperArchives()
    {
        string h5 = WriteSurface();
        (int code, string stdout, string stderr) = Run("analyze", h5);
        Assert.That(code, Is.Zero, stderr);
        TopologySummary loss = TopologySummary.FromJson(stdout);
        Assert.That((loss.VertexCount, loss.MinimumCount), Is.EqualTo((12, 2)));

        TopologySummary accuracy = TopologySummary.FromJson(Run("analyze", h5, "--dataset", "train_acc").Stdout);
        Assert.That(accuracy.MinimumCount, Is.EqualTo(1), "the accuracy map is low in one connected band in the middle");

        string npz = Path.Combine(_folder, "landscape.npz");
        using (ZipArchive archive = ZipFile.Open(npz, ZipArchiveMode.Create))
        {
            foreach ((string name, double[] values, int[] shape) in new[] { ("loss", new double[] { 0, 1, 0, 1, 2, 1, 0, 1, 0 }, new[] { 3, 3 }), ("other", [5, 4, 3, 4, 5], [5]) })
            {
                string npy = Path.Combine(_folder, name + ".npy");
                NpyFile.Write(npy, values, shape);
                archive.CreateEntryFromFile(npy, name + ".npy");
            }
        }

        Assert.That(TopologySummary.FromJson(Run("analyze", npz, "--graph", "axis").Stdout).MinimumCount, Is.EqualTo(4));
        Assert.That(TopologySummary.FromJson(Run("analyze", npz, "--array", "other").Stdout).MinimumCount, Is.EqualTo(1));
    }

    [Test]
    public void NamesWhatAFileHoldsWhenTheChosenDataIsNotThere()
    {
        string h5 = WriteSurface();
        (int code, string stdout, string stderr) = Run("analyze", h5, "--dataset", "test_loss");
        Assert.That((code, stdout), Is.EqualTo((2, string.Empty)));
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain("no dataset 'test_loss'").And.Contain("train_acc").And.Contain("--dataset NAME"));

        string npy = Path.Combine(_folder, "l.npy");
        NpyFile.Write(npy, [1.0, 0, 1], [3]);
        Assert.That(Run("analyze", npy, "--dataset", "train_loss").Stderr, Does.Contain("--dataset applies to .h5 files only"));
        Assert.That(Run("analyze", npy, "--array", "loss").Stderr, Does.Contain("--array applies to .npz files only"));
        Assert.That(Run("analyze", h5, "--dataset", "").Stderr, Does.Contain("--dataset needs a name"));
    }

    [Test]
    public void HelpListsEveryOptionAndCompletionAsksLltItself()
    {
        string help = Run("analyze", "--help").Stdout;
        foreach (string option in new[] { "--graph", "--k", "--nan", "--simplify", "--pairs", "--out", "--dataset", "--array", "--threads", "--dimension" })
        {
            Assert.That(help, Does.Contain(option));
        }

        Assert.That(Run("--help").Stdout, Does.Contain("analyze").And.Contain("spectrum").And.Contain("completion"));
        (int code, string script, _) = Run("completion", "bash");
        Assert.That(code, Is.Zero);
        Assert.That(script, Does.Contain("complete -o filenames -F _llt_complete llt").And.Contain("[suggest:"));
        Assert.That(Run("completion", "fish").Stderr, Does.Contain("'fish'"));

        // What the script asks: llt's own suggestions for the line typed so far.
        string line = "llt analyze f.npy --gr";
        Assert.That(Run($"[suggest:{line.Length}]", line).Stdout, Does.Contain("--graph"));
        line = "llt analyze f.npy --graph ";
        Assert.That(Run($"[suggest:{line.Length}]", line).Stdout.Split('\n', StringSplitOptions.TrimEntries), Does.Contain("freudenthal").And.Contain("gabriel"));
    }

    [Test]
    public void NoCommandIsOneLineAndExitCodeTwo()
    {
        (int code, string stdout, string stderr) = Run();
        Assert.That((code, stdout), Is.EqualTo((2, string.Empty)));
        Assert.That(stderr, Does.StartWith("llt: no command given"));
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
