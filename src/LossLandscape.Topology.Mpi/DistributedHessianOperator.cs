using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Losses;

namespace LossLandscape.Topology.Mpi;

/// <summary>
/// Data-parallel Hessian-vector products: every rank holds a shard of the data and the same model; each product is
/// the local product weighted by the shard's share of the samples, summed over ranks by allreduce. Every rank gets
/// the same vector, so a <see cref="SpectralAnalyzer"/> of it (Lanczos, Hutchinson, Hutch++, SLQ) runs unchanged and
/// identically on all ranks, on data sets that one device cannot hold.
/// </summary>
/// <remarks>
/// Ranks whose models differ in size fail at construction with the same message on every rank; a product that
/// throws on one rank (a non-finite loss, say) makes every rank throw, so none waits in the allreduce forever.
/// </remarks>
public sealed class DistributedHessianOperator : ISymmetricOperator, IDisposable
{
    private readonly HessianOperator _local;
    private readonly double _weight;

    /// <summary>Creates the operator.</summary>
    /// <param name="session">The MPI session.</param>
    /// <param name="localLoss">This rank's loss: the mean over its shard.</param>
    /// <param name="localSamples">The number of samples in this rank's shard (the global loss is the sample-weighted mean).</param>
    public DistributedHessianOperator(MpiSession session, IHessianLossFunction localLoss, long localSamples)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfNegative(localSamples);
        Session = session;
        _local = session.AllOrNothing("Creating the Hessian operator", () => new HessianOperator(localLoss));
        try
        {
            session.Agree("the Hessian operator", ["parameter count"], [_local.Dimension]);
        }
        catch
        {
            _local.Dispose();
            throw;
        }

        double total = session.SumAcrossRanks([localSamples])[0];
        _weight = total > 0 ? localSamples / total : 0;
    }

    /// <summary>The MPI session.</summary>
    public MpiSession Session { get; }

    /// <inheritdoc />
    public int Dimension => _local.Dimension;

    /// <summary>Products computed (each one an allreduce).</summary>
    public long ProductCount => _local.ProductCount;

    /// <inheritdoc />
    public void Multiply(ReadOnlySpan<double> vector, Span<double> result)
    {
        var local = new double[Dimension];
        double[] input = vector.ToArray();
        Session.AllOrNothing("A Hessian-vector product", () =>
        {
            _local.Multiply(input, local);
            return 0;
        });
        for (int i = 0; i < local.Length; i++)
        {
            local[i] *= _weight;
        }

        Session.SumAcrossRanks(local).CopyTo(result);
    }

    /// <inheritdoc />
    public void Dispose() => _local.Dispose();
}
