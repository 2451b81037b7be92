using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Parameters;
using LossLandscape.Topology.Torch.Sampling;
using LossLandscape.Topology.Torch.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Directions;

public class DirectionSetFactoryTests
{
    [Test]
    public void CanInterpolateBetweenTwoModels()
    {
        using var a = ReferenceMlp.Load();
        using var b = ReferenceMlp.Load();
        Perturb(b.Model, 0.3);
        double lossB = b.MeanSquaredError().ToDouble();
        double lossA = a.MeanSquaredError().ToDouble();
        DirectionSet line = DirectionSet.Between(a.Model, b.Model);
        Landscape landscape = new LandscapeSampler(LossFunction.FullBatch(a.Model, a.MeanSquaredError)).Along(line).OnGrid(0, 1, 5).Sample();
        Assert.That(landscape.Values[0], Is.EqualTo(lossA).Within(1e-12 * lossA));
        Assert.That(landscape.Values[4], Is.EqualTo(lossB).Within(1e-12 * lossB));
    }

    [Test]
    public void CanSpanThePlaneOfThreeModels()
    {
        using var a = ReferenceMlp.Load();
        using var b = ReferenceMlp.Load();
        using var c = ReferenceMlp.Load();
        Perturb(b.Model, 0.2);
        Perturb(c.Model, -0.25);
        DirectionSet plane = DirectionSet.Plane(a.Model, b.Model, c.Model);
        Landscape landscape = new LandscapeSampler(LossFunction.FullBatch(a.Model, a.MeanSquaredError)).Along(plane).OnGrid(0, 1, 2).Sample();
        Assert.That(landscape.GetValue(1, 0), Is.EqualTo(b.MeanSquaredError().ToDouble()).Within(1e-12));
        Assert.That(landscape.GetValue(0, 1), Is.EqualTo(c.MeanSquaredError().ToDouble()).Within(1e-12));
    }

    [Test]
    public void CanFindTheTwoDirectionsOfATrajectory()
    {
        using var model = ReferenceMlp.Load();
        double[] final = ParameterLayout.Flatten(model.Model);
        var random = new Random(1);
        double[] u = final.Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] v = final.Select(_ => random.NextDouble() - 0.5).ToArray();
        var trajectory = Enumerable.Range(0, 12)
            .Select(t => final.Select((f, i) => f + (Math.Cos(t) * 3 * u[i]) + (Math.Sin(t) * v[i])).ToArray()).ToList();
        DirectionSet pca = DirectionSet.PrincipalComponents(model.Model, trajectory, 2);
        // Both components lie in span{u, v}: their residual after projecting onto that plane vanishes.
        var basis = Orthonormal(u, v);
        for (int k = 0; k < 2; k++)
        {
            double[] d = pca[k].ToArray();
            double[] residual = d.ToArray();
            foreach (double[] e in basis)
            {
                double dot = d.Zip(e, (x, y) => x * y).Sum();
                for (int i = 0; i < residual.Length; i++)
                {
                    residual[i] -= dot * e[i];
                }
            }

            Assert.That(Math.Sqrt(residual.Sum(x => x * x)), Is.LessThan(1e-9), $"component {k}");
            Assert.That(pca.Norm(k), Is.EqualTo(1).Within(1e-12));
        }

        Assert.That(pca.Cosine(0, 1), Is.EqualTo(0).Within(1e-9));
        Assert.Throws<ArgumentException>(() => DirectionSet.PrincipalComponents(model.Model, trajectory.Take(2).ToList(), 2));
    }

    private static List<double[]> Orthonormal(double[] u, double[] v)
    {
        double nu = Math.Sqrt(u.Sum(x => x * x));
        double[] e1 = u.Select(x => x / nu).ToArray();
        double dot = v.Zip(e1, (x, y) => x * y).Sum();
        double[] w = v.Select((x, i) => x - (dot * e1[i])).ToArray();
        double nw = Math.Sqrt(w.Sum(x => x * x));
        return [e1, w.Select(x => x / nw).ToArray()];
    }

    private static void Perturb(nn.Module model, double amount)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var p in model.parameters())
        {
            p.add_(full_like(p, amount));
        }
    }
}
