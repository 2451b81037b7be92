using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using LossLandscape.Topology.Torch.Tests.Support;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Sampling;

/// <summary>Landscapes of the reference MLP against PyTorch's values (1e-12 relative, the reference's tolerance).</summary>
public class LandscapeSamplerReferenceTests
{
    [Test]
    public void CanMatchPyTorchGridAlongHessianDirections([Values("in-place loop", "batched on the CPU kernels", "batched on libtorch")] string path)
    {
        using var mlp = ReferenceMlp.Load();
        var batched = new MlpLossFunction(mlp.Model, m => (m.Forward(mlp.X) - mlp.Y).square().mean([1, 2]), preferredBatchSize: 37);
        if (path == "batched on the CPU kernels")
        {
            Assert.That(batched.UsesCpuKernels, Is.True, $"the kernels take the reference MLP and run here ({Topology.Torch.Kernels.CpuMlp.Width} bits)");
        }

        ILossFunction loss = path switch
        {
            "in-place loop" => LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError),
            "batched on the CPU kernels" => batched,
            _ => batched.WithCpuKernels(false),
        };
        var directions = DirectionSet.FromVectors(mlp.Model,
            ReferenceMlp.Vector("hessian", "top1_eigenvector"), ReferenceMlp.Vector("hessian", "top2_eigenvector"));
        double[] alphas = ReferenceMlp.Vector("landscape", "alphas");
        double[] expected = ReferenceMlp.Vector("landscape", "grid_21x21");

        Landscape landscape = new LandscapeSampler(loss).Along(directions)
            .OnGrid(new LandscapeAxis("alpha1", alphas), new LandscapeAxis("alpha2", alphas)).Sample();

        Assert.That(landscape.Shape.ToArray(), Is.EqualTo(new[] { 21, 21 }));
        for (int q = 0; q < expected.Length; q++)
        {
            Assert.That(landscape.Values[q], Is.EqualTo(expected[q]).Within(1e-12 * Math.Abs(expected[q])), $"grid point {landscape.DescribeVertex(q)}");
        }
    }

    [Test]
    public void CanMatchPyTorchSlicesAlongEachDirection()
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        double[] alphas = ReferenceMlp.Vector("landscape", "slice_alphas_41");
        foreach ((string vector, string slice) in new[] { ("top1_eigenvector", "slice_d1_41"), ("top2_eigenvector", "slice_d2_41") })
        {
            var direction = DirectionSet.FromVectors(mlp.Model, ReferenceMlp.Vector("hessian", vector));
            Landscape line = new LandscapeSampler(loss).Along(direction).OnGrid(new LandscapeAxis("alpha", alphas)).Sample();
            double[] expected = ReferenceMlp.Vector("landscape", slice);
            Assert.That(line.Values.ToArray(), Is.EqualTo(expected).Within(1e-12 * expected.Max()), slice);
        }
    }

    [Test]
    public void CanEvaluateCentreAsLossAtTheta()
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        double expected = ReferenceMlp.Reference.GetProperty("loss_at_theta").GetDouble();
        var directions = new RandomDirectionSampler(3).Sample(mlp.Model, 2);
        Landscape landscape = new LandscapeSampler(loss).Along(directions).OnGrid(-1, 1, 5).Sample();
        Assert.That(landscape.GetValue(2, 2), Is.EqualTo(expected).Within(1e-12 * expected));
        Assert.That(loss.Evaluate([]), Is.EqualTo(expected).Within(1e-12 * expected));
    }
}
