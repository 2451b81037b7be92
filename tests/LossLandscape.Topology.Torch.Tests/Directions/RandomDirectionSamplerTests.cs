using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Parameters;
using LossLandscape.Topology.Torch.Tests.Support;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Directions;

public class RandomDirectionSamplerTests
{
    [Test]
    public void CanFilterNormalizeEachRowToTheWeightRowNorm()
    {
        using var mlp = ReferenceMlp.Load();
        DirectionSet directions = new RandomDirectionSampler(7).Sample(mlp.Model, 2);
        double[] weights = ParameterLayout.Flatten(mlp.Model);
        ParameterLayout layout = directions.Layout;
        for (int i = 0; i < 2; i++)
        {
            for (int p = 0; p < layout.Count; p++)
            {
                int offset = (int)layout.OffsetOf(p);
                int count = (int)layout.CountOf(p);
                if (layout.Shapes[p].Length == 1)
                {
                    Assert.That(directions[i].Slice(offset, count).ToArray(), Is.All.Zero, $"{layout.Names[p]} is 1-D and ignored");
                    continue;
                }

                int rows = (int)layout.Shapes[p][0];
                int length = count / rows;
                for (int r = 0; r < rows; r++)
                {
                    double d = Norm(directions[i].Slice(offset + (r * length), length));
                    double w = Norm(weights.AsSpan(offset + (r * length), length));
                    Assert.That(d, Is.EqualTo(w).Within(1e-9 * w), $"{layout.Names[p]} row {r}");
                }
            }
        }
    }

    [Test]
    public void CanNormalizeWholeLayersAndKeepBiasesWhenAsked()
    {
        using var mlp = ReferenceMlp.Load();
        var options = new RandomDirectionOptions { Normalization = DirectionNormalization.Layer, IgnoreBiasAndNorm = false };
        DirectionSet d = new RandomDirectionSampler(7, options).Sample(mlp.Model, 1);
        double[] weights = ParameterLayout.Flatten(mlp.Model);
        ParameterLayout layout = d.Layout;
        for (int p = 0; p < layout.Count; p++)
        {
            int offset = (int)layout.OffsetOf(p);
            int count = (int)layout.CountOf(p);
            if (layout.Shapes[p].Length == 1)
            {
                Assert.That(d[0].Slice(offset, count).ToArray(), Is.EqualTo(weights.AsSpan(offset, count).ToArray()), "a bias direction is the bias itself (Li et al.)");
            }
            else
            {
                Assert.That(Norm(d[0].Slice(offset, count)), Is.EqualTo(Norm(weights.AsSpan(offset, count))).Within(1e-9));
            }
        }
    }

    [Test]
    public void CanReproduceDirectionsFromTheSameSeed()
    {
        using var mlp = ReferenceMlp.Load();
        DirectionSet a = new RandomDirectionSampler(42).Sample(mlp.Model, 2);
        DirectionSet b = new RandomDirectionSampler(42).Sample(mlp.Model, 2);
        DirectionSet c = new RandomDirectionSampler(43).Sample(mlp.Model, 2);
        Assert.That(a[1].ToArray(), Is.EqualTo(b[1].ToArray()));
        Assert.That(a[0].ToArray(), Is.Not.EqualTo(c[0].ToArray()));
    }

    [Test]
    public void CanDrawStandardNormalNumbers()
    {
        using var model = nn.Linear(1000, 100, hasBias: false, dtype: ScalarType.Float64);
        var options = new RandomDirectionOptions { Normalization = DirectionNormalization.None };
        double[] d = new RandomDirectionSampler(1, options).Sample(model, 1)[0].ToArray();
        double mean = d.Average();
        double variance = d.Select(x => (x - mean) * (x - mean)).Average();
        double fourth = d.Select(x => Math.Pow(x - mean, 4)).Average() / (variance * variance);
        Assert.That(d, Has.Length.EqualTo(100_000));
        Assert.That(mean, Is.EqualTo(0).Within(4 / Math.Sqrt(d.Length)), "mean within 4 standard errors");
        Assert.That(variance, Is.EqualTo(1).Within(0.02));
        Assert.That(fourth, Is.EqualTo(3).Within(0.1), "Gaussian kurtosis");
    }

    [Test]
    public void CanOrthogonalizeKeepingNorms()
    {
        using var mlp = ReferenceMlp.Load();
        DirectionSet plain = new RandomDirectionSampler(3).Sample(mlp.Model, 3);
        DirectionSet orthogonal = new RandomDirectionSampler(3, new RandomDirectionOptions { Orthogonalize = true }).Sample(mlp.Model, 3);
        for (int i = 0; i < 3; i++)
        {
            Assert.That(orthogonal.Norm(i), Is.EqualTo(plain.Norm(i)).Within(1e-12 * plain.Norm(i)));
            for (int j = 0; j < i; j++)
            {
                Assert.That(orthogonal.Cosine(i, j), Is.EqualTo(0).Within(1e-12));
            }
        }
    }

    [Test]
    public void CanSaveAndLoadBitForBit()
    {
        using var mlp = ReferenceMlp.Load();
        DirectionSet d = new RandomDirectionSampler(3).Sample(mlp.Model, 2).CenteredAt(ParameterLayout.Flatten(mlp.Model));
        string path = Path.GetTempFileName();
        try
        {
            d.Save(path);
            DirectionSet back = DirectionSet.Load(path);
            Assert.That(back.Layout, Is.EqualTo(d.Layout));
            Assert.That(back[0].ToArray(), Is.EqualTo(d[0].ToArray()));
            Assert.That(back[1].ToArray(), Is.EqualTo(d[1].ToArray()));
            Assert.That(back.Center.ToArray(), Is.EqualTo(d.Center.ToArray()));
            Assert.That(back.Description, Is.EqualTo(d.Description));

            byte[] bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            Assert.That(Assert.Throws<InvalidDataException>(() => DirectionSet.Load(path))!.Message, Does.Contain("truncated"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double sum = 0;
        foreach (double x in v)
        {
            sum += x * x;
        }

        return Math.Sqrt(sum);
    }
}
