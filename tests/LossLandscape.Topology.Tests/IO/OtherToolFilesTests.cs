using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Tests.Support;

namespace LossLandscape.Topology.Tests.IO;

/// <summary>
/// Files other loss-landscape tools write, produced here by those tools' own libraries: h5py for
/// tomgoldstein/loss-landscape's .h5 surfaces (with its scheduler's exact point layout) and numpy.savez for
/// Vis4SciML/Landscaper's .npz landscapes.
/// </summary>
public class OtherToolFilesTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("llt-other").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static double Surface(double x, double y) => x + (10 * y) + (x * x * y);

    private void Require(string module, string package)
    {
        if (SystemPython.Unavailable(module, package) is { } why)
        {
            Assert.Ignore(why);
        }
    }

    private void RunPython(string script)
    {
        (int code, string output) = SystemPython.RunScript(script, _folder);
        Assert.That(code, Is.Zero, output);
    }

    [Test]
    public void ReadsLossLandscapeSurfacesWithTheirPointLayout()
    {
        Require("h5py", "python3-h5py");

        // As plot_surface.py: datasets of shape (len(x), len(y)) whose flat index k holds the point
        // meshgrid(x, y).ravel()[k]; a non-square grid so that a transposition cannot pass.
        RunPython("""
            import sys, h5py, numpy as np
            x = np.linspace(-1, 1, num=5); y = np.linspace(-0.5, 0.5, num=3)
            f = h5py.File(sys.argv[1] + '/surface.h5', 'w')
            f['dir_file'] = 'directions.h5'
            f['xcoordinates'] = x; f['ycoordinates'] = y
            losses = -np.ones(shape=(len(x), len(y)))
            xm, ym = np.meshgrid(x, y)
            for k, (a, b) in enumerate(np.c_[xm.ravel(), ym.ravel()]):
                losses.ravel()[k] = a + 10 * b + a * a * b
            f['train_loss'] = losses
            f['train_acc'] = (losses / 100).astype(np.float32)
            f['steps'] = np.arange(3)
            f.close()
            g = h5py.File(sys.argv[1] + '/line.h5', 'w')
            g['xcoordinates'] = x; g['train_loss'] = x ** 2; g.close()
            """);
        string path = Path.Combine(_folder, "surface.h5");
        Assert.That(H5SurfaceFile.DatasetNames(path), Is.EquivalentTo(new[] { "dir_file", "xcoordinates", "ycoordinates", "train_loss", "train_acc", "steps" }));

        Landscape loss = H5SurfaceFile.ReadLandscape(path);
        Assert.That(loss.Shape.ToArray(), Is.EqualTo(new[] { 5, 3 }));
        Assert.That(loss.Axes.Select(a => a.Name), Is.EqualTo(new[] { "x", "y" }));
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double x = loss.Axes[0].Coordinates[i];
                double y = loss.Axes[1].Coordinates[j];
                Assert.That(loss.Values[(i * 3) + j], Is.EqualTo(Surface(x, y)).Within(1e-12), $"({x}, {y})");
            }
        }

        Landscape accuracy = H5SurfaceFile.ReadLandscape(path, "train_acc");
        Assert.That(accuracy.Values[(4 * 3) + 2], Is.EqualTo((double)(float)(Surface(1, 0.5) / 100)));

        Landscape line = H5SurfaceFile.ReadLandscape(Path.Combine(_folder, "line.h5"));
        Assert.That(line.Dimension, Is.EqualTo(1));
        Assert.That(line.Values.ToArray(), Is.EqualTo(new[] { 1, 0.25, 0, 0.25, 1 }).Within(1e-15));
    }

    [Test]
    public void RefusesMissingAndUnreadableDatasetsNamingWhatIsThere()
    {
        Require("h5py", "python3-h5py");
        RunPython("""
            import sys, h5py, numpy as np
            f = h5py.File(sys.argv[1] + '/s.h5', 'w')
            f['xcoordinates'] = np.linspace(0, 1, 4); f['train_loss'] = np.zeros(4); f['labels'] = np.arange(4); f['short'] = np.zeros(3)
            f.close()
            g = h5py.File(sys.argv[1] + '/nocoords.h5', 'w'); g['train_loss'] = np.zeros(4); g.close()
            """);
        string path = Path.Combine(_folder, "s.h5");
        var missing = Assert.Throws<InvalidDataException>(() => H5SurfaceFile.ReadLandscape(path, "test_loss"));
        Assert.That(missing!.Message, Does.Contain("'test_loss'").And.Contain("labels, short, train_loss, xcoordinates"));
        var integers = Assert.Throws<InvalidDataException>(() => H5SurfaceFile.ReadLandscape(path, "labels"));
        Assert.That(integers!.Message, Does.Contain("'labels'").And.Contain("only float64 and float32"));
        var size = Assert.Throws<InvalidDataException>(() => H5SurfaceFile.ReadLandscape(path, "short"));
        Assert.That(size!.Message, Does.Contain("3 values").And.Contain("4 points"));
        var coordinates = Assert.Throws<InvalidDataException>(() => H5SurfaceFile.ReadLandscape(Path.Combine(_folder, "nocoords.h5")));
        Assert.That(coordinates!.Message, Does.Contain("'xcoordinates'").And.Contain("train_loss"));

        string text = Path.Combine(_folder, "text.h5");
        File.WriteAllText(text, "not an HDF5 file at all, just some text that is long enough to look at");
        var notHdf5 = Assert.Throws<InvalidDataException>(() => H5SurfaceFile.ReadLandscape(text));
        Assert.That(notHdf5!.Message, Does.Contain(text).And.Contain("not an HDF5 file"));
    }

    [Test]
    public void ReadsLandscaperArchivesWithTheirCoordinates([Values(false, true)] bool compressed)
    {
        Require("numpy", "python3-numpy");

        // As Landscaper's LossLandscape.save: loss[i0, i1, i2] at (coordinates[0][i0], coordinates[1][i1], …).
        RunPython($$"""
            import sys, numpy as np
            steps = 4
            coords = [np.linspace(-0.01, 0.01, steps) * (d + 1) for d in range(3)]
            loss = np.zeros((steps,) * 3)
            for gp in np.ndindex(loss.shape):
                a, b, c = (coords[d][gp[d]] for d in range(3))
                loss[gp] = a + 10 * b + 100 * c
            np.{{(compressed ? "savez_compressed" : "savez")}}(sys.argv[1] + '/landscape.npz', loss=loss, coordinates=coords)
            np.savez(sys.argv[1] + '/single.npz', np.arange(6, dtype=np.float32).reshape(2, 3))
            np.savez(sys.argv[1] + '/two.npz', a=np.zeros(3), b=np.ones(3))
            """);
        string path = Path.Combine(_folder, "landscape.npz");
        Assert.That(NpzFile.ArrayNames(path), Is.EqualTo(new[] { "loss", "coordinates" }));
        Landscape landscape = NpzFile.ReadLandscape(path);
        Assert.That(landscape.Shape.ToArray(), Is.EqualTo(new[] { 4, 4, 4 }));
        Assert.That(landscape.Axes[2].Coordinates[3], Is.EqualTo(0.03).Within(1e-15));
        int flat = (1 * 16) + (2 * 4) + 3;
        double expected = landscape.Axes[0].Coordinates[1] + (10 * landscape.Axes[1].Coordinates[2]) + (100 * landscape.Axes[2].Coordinates[3]);
        Assert.That(landscape.Values[flat], Is.EqualTo(expected).Within(1e-15));

        Landscape single = NpzFile.ReadLandscape(Path.Combine(_folder, "single.npz"));
        Assert.That(single.Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(single.Values[5], Is.EqualTo(5));

        var ambiguous = Assert.Throws<InvalidDataException>(() => NpzFile.ReadLandscape(Path.Combine(_folder, "two.npz")));
        Assert.That(ambiguous!.Message, Does.Contain("no array 'loss'").And.Contain("a, b"));
        var missing = Assert.Throws<InvalidDataException>(() => NpzFile.ReadLandscape(path, "train_loss"));
        Assert.That(missing!.Message, Does.Contain("'train_loss'").And.Contain("loss, coordinates"));
        Assert.That(NpzFile.ReadLandscape(Path.Combine(_folder, "two.npz"), "b").Values.ToArray(), Is.EqualTo(new[] { 1.0, 1, 1 }));
    }

    [Test]
    public void RefusesDamagedArchivesWithAnInvalidDataException()
    {
        string notZip = Path.Combine(_folder, "text.npz");
        File.WriteAllText(notZip, "plain text, not a zip archive");
        Assert.That(Assert.Throws<InvalidDataException>(() => NpzFile.ReadLandscape(notZip))!.Message, Does.Contain("not an .npz archive"));

        // A valid archive whose array is cut short, and one whose entry is not an .npy array.
        string cut = Path.Combine(_folder, "cut.npz");
        using (var archive = System.IO.Compression.ZipFile.Open(cut, System.IO.Compression.ZipArchiveMode.Create))
        {
            string npy = Path.Combine(_folder, "a.npy");
            NpyFile.Write(npy, Enumerable.Range(0, 100).Select(i => (double)i).ToArray(), [10, 10]);
            byte[] bytes = File.ReadAllBytes(npy);
            using (Stream s = archive.CreateEntry("loss.npy").Open())
            {
                s.Write(bytes, 0, bytes.Length - 80);
            }

            using (Stream s = archive.CreateEntry("junk.npy").Open())
            {
                s.Write("junk"u8);
            }
        }

        Assert.That(Assert.Throws<InvalidDataException>(() => NpzFile.ReadLandscape(cut))!.Message, Does.Contain("truncated").And.Contain(cut));
        Assert.That(Assert.Throws<InvalidDataException>(() => NpzFile.ReadLandscape(cut, "junk"))!.Message, Does.Contain("(array junk)"));
    }
}
