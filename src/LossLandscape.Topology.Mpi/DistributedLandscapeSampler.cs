using System.Globalization;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Torch.Sampling;

namespace LossLandscape.Topology.Mpi;

/// <summary>
/// Runs a <see cref="LandscapeSampler"/> across MPI ranks: the points (grid row-major, or scattered) are split into
/// contiguous, balanced shares, one per rank; each rank evaluates its share on its own device (with its own
/// checkpoint file, so a resubmitted job finishes only the missing points), and the full landscape is assembled on
/// every rank.
/// </summary>
/// <remarks>
/// Shares start at multiples of the batch size of a batched loss, so every batch is the batch a single-process run
/// would evaluate: results equal the single-process run exactly. Assembly is a sum of per-rank arrays that are zero
/// outside each rank's share, which is exact (x + 0 = x, also for ±∞ and NaN).
/// </remarks>
public sealed class DistributedLandscapeSampler
{
    /// <summary>Creates the distributed run of <paramref name="sampler"/> (configured with directions and points).</summary>
    public DistributedLandscapeSampler(MpiSession session, LandscapeSampler sampler)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(sampler);
        Session = session;
        Sampler = sampler;
    }

    /// <summary>The MPI session.</summary>
    public MpiSession Session { get; }

    /// <summary>The sampler being distributed.</summary>
    public LandscapeSampler Sampler { get; }

    /// <summary>
    /// Refuses to start when checkpoint files of this run written by another number of ranks exist: each rank's share
    /// depends on the rank count, so they cannot be resumed and would be evaluated again without a word.
    /// </summary>
    private void RefuseOtherRankCounts()
    {
        if (Sampler.CheckpointPath is not { } path)
        {
            return;
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string name = Path.GetFileName(path);
        if (!Directory.Exists(folder))
        {
            return;
        }

        string ours = string.Create(CultureInfo.InvariantCulture, $"of{Session.Size}");
        string[] others = Directory.GetFiles(folder, name + ".rank*of*").Where(f => !f.EndsWith(ours, StringComparison.Ordinal)).ToArray();
        if (others.Length > 0)
        {
            throw new InvalidOperationException(
                $"Checkpoint files of this run from another number of ranks exist ({string.Join(", ", others.Select(Path.GetFileName))}); resume with that many ranks, or delete them to start afresh on {Session.Size}.");
        }
    }

    /// <summary>The share of <paramref name="points"/> points that rank <paramref name="rank"/> of <paramref name="size"/> evaluates: [start, end).</summary>
    public static (int Start, int End) ShareOf(int points, int rank, int size, int batchSize = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, size);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int blocks = (points + batchSize - 1) / batchSize;
        int Start(int r) => Math.Min(points, (int)((long)blocks * r / size) * batchSize);
        return (Start(rank), Start(rank + 1));
    }

    /// <summary>Samples this rank's share and assembles the whole landscape on every rank.</summary>
    /// <exception cref="InvalidOperationException">
    /// The sampler has no directions or points; the ranks disagree on the run (every rank gets the same message);
    /// checkpoint files from another rank count exist; or sampling failed on another rank (this rank stops too, so
    /// no rank waits forever).
    /// </exception>
    public LandscapeSamplingResult Sample(IProgress<SamplingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        double[,] points = Session.AllOrNothing("Preparing the sampling run", () =>
        {
            double[,] resolved = Sampler.ResolvePoints() ?? throw new InvalidOperationException("No points: call OnGrid(…) or AtPoints(…) on the sampler.");
            RefuseOtherRankCounts();
            return resolved;
        });
        int n = points.GetLength(0);
        int k = points.GetLength(1);
        Session.Agree("the sampling run", ["points", "coordinates per point", "values per point", "batch size"], [n, k, Sampler.Loss.MetricNames.Count + 1, Sampler.BatchSize]);
        (int start, int end) = ShareOf(n, Session.Rank, Session.Size, Sampler.BatchSize);
        var share = new double[end - start, k];
        for (int q = start; q < end; q++)
        {
            for (int d = 0; d < k; d++)
            {
                share[q - start, d] = points[q, d];
            }
        }

        string? checkpoint = Sampler.CheckpointPath is { } path
            ? string.Create(CultureInfo.InvariantCulture, $"{path}.rank{Session.Rank}of{Session.Size}")
            : null;
        // Point after point, the loss then the metrics: the layout LandscapeSampler assembles results from.
        int stride = Sampler.Loss.MetricNames.Count + 1;
        var local = new double[n * stride];
        int evaluated = 0;
        int resumed = 0;
        if (end > start)
        {
            LandscapeSamplingResult part = Session.AllOrNothing("Sampling", () => Sampler.ForShard(share, checkpoint).SampleWithMetrics(progress, cancellationToken));
            Landscape[] columns = [part.Loss, .. Sampler.Loss.MetricNames.Select(name => part.Metrics[name])];
            for (int q = start; q < end; q++)
            {
                for (int c = 0; c < stride; c++)
                {
                    local[(q * stride) + c] = columns[c].Values[q - start];
                }
            }

            evaluated = part.PointsEvaluated;
            resumed = part.PointsFromCheckpoint;
        }

        else
        {
            Session.AllOrNothing("Sampling", () => 0); // take part in the agreement even with an empty share
        }

        double[] all = Session.SumAcrossRanks(local);
        double[] counts = Session.SumAcrossRanks([evaluated, resumed]);
        return Sampler.Assemble(points, all, (int)counts[0], (int)counts[1]);
    }
}
