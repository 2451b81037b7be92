using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Tests.Support;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Hessian;

/// <summary>A data loader's batches reach the Hessian one at a time, and are gone before the next is loaded.</summary>
public class StreamingHessianTests
{
    [Test]
    public void CanStreamADataLoadersBatchesOneAtATime()
    {
        using var mlp = ReferenceMlp.Load();
        var counter = new BatchCounter();
        IEnumerable<(Tensor X, Tensor Y)> Loader()
        {
            // Batches of 40, 40, 40, 40, 40, 40, 16 points: unequal sizes, weighted by size like the full-batch mean.
            for (long start = 0; start < 256; start += 40)
            {
                long count = Math.Min(40, 256 - start);
                (Tensor X, Tensor Y) batch = (mlp.X.narrow(0, start, count).clone(), mlp.Y.narrow(0, start, count).clone());
                counter.Loaded();
                try
                {
                    yield return batch;
                }
                finally
                {
                    // As a loader that reuses its buffers would: the batch is gone once the enumeration moves on.
                    batch.X.Dispose();
                    batch.Y.Dispose();
                    counter.Freed();
                }
            }
        }

        var loss = LossFunction.FromDataLoader(mlp.Model, Loader, b => (mlp.Model.call(b.X) - b.Y).square().mean(), b => b.X.shape[0]);
        Assert.That(loss.IsSingleTerm, Is.False);
        using var hessian = new HessianOperator(loss);
        double[] v = ReferenceHessian.Probe("slq_start");
        var product = new double[ReferenceHessian.Dimension];
        for (int repeat = 0; repeat < 2; repeat++)
        {
            hessian.Multiply(v, product);
            Assert.That(product, Is.EqualTo(ReferenceHessian.Multiply(v)).Within(1e-10 * 43), "PyTorch's full-batch Hessian times v");
        }

        Assert.That(counter.MostAlive, Is.EqualTo(1), "never two batches at once");
        Assert.That(counter.Alive, Is.Zero, "every batch freed");
        Assert.That(counter.Total, Is.EqualTo(1 + (2 * 7)), "one batch for the differentiability probe, then 7 per product");
    }

    private sealed class BatchCounter
    {
        public int Alive { get; private set; }

        public int MostAlive { get; private set; }

        public int Total { get; private set; }

        public void Loaded()
        {
            Alive++;
            Total++;
            MostAlive = Math.Max(MostAlive, Alive);
        }

        public void Freed() => Alive--;
    }
}
