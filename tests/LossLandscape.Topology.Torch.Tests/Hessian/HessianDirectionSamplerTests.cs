using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using LossLandscape.Topology.Torch.Tests.Support;

namespace LossLandscape.Topology.Torch.Tests.Hessian;

public class HessianDirectionSamplerTests
{
    [Test]
    public void CanReproducePyTorchLandscapeAlongTopTwoEigenvectors()
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        var sampler = new HessianDirectionSampler(loss, new LanczosOptions { Seed = 4, Tolerance = 1e-10 });
        HessianDirections found = sampler.SampleWithEigenpairs(mlp.Model, 2);
        DirectionSet directions = found.Directions;
        Assert.That(found.Eigenpairs.Eigenvalues[0], Is.EqualTo(42.58040242869059).Within(1e-8 * 42.6));
        Assert.That(directions.Description, Does.Contain("Hessian"));

        double[] alphas = ReferenceMlp.Vector("landscape", "alphas");
        Landscape landscape = new LandscapeSampler(loss).Along(directions)
            .OnGrid(new LandscapeAxis("alpha1", alphas), new LandscapeAxis("alpha2", alphas)).Sample();
        double[] expected = ReferenceMlp.Vector("landscape", "grid_21x21");
        Assert.That(landscape.Values.ToArray(), Is.EqualTo(expected).Within(1e-6 * expected.Max()));
    }

    [Test]
    public void SampleFailsOnAnotherModel()
    {
        using var mlp = ReferenceMlp.Load();
        using var other = ReferenceMlp.Load();
        var sampler = new HessianDirectionSampler(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        Assert.Throws<ArgumentException>(() => sampler.Sample(other.Model, 2));
    }

    [Test]
    public void CanReportProgressAndStopOnCancellation()
    {
        using var mlp = ReferenceMlp.Load();
        using var analyzer = new HessianAnalyzer(LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError));
        using var cancel = new CancellationTokenSource();
        var seen = new List<OperatorProgress>();
        var progress = new Reporter(p =>
        {
            seen.Add(p);
            if (p.Products == 7)
            {
                cancel.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => analyzer.SpectralDensity(new SpectralDensityOptions { Steps = 50 }, progress, cancel.Token));
        Assert.That(seen.Select(p => p.Products), Is.EqualTo(Enumerable.Range(1, 7)));
        Assert.That(seen.All(p => p.Budget == 50), Is.True);
    }

    private sealed class Reporter(Action<OperatorProgress> report) : IProgress<OperatorProgress>
    {
        public void Report(OperatorProgress value) => report(value);
    }
}
