using System.Globalization;
using LossLandscape.Topology.Torch.Sampling;

namespace LossLandscape.Topology.Mpi;

/// <summary>
/// Runs a <see cref="LandscapeSampler"/> across MPI ranks through its public <see cref="SamplingPlan"/>: the points
/// (grid row-major, or scattered) are split into contiguous, balanced shards, one per rank; each rank evaluates its share on its own device (with its own
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
    private void RefuseOtherRankCounts(string? path)
    {
        if (path is null)
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

    /// <summary>Samples this rank's share and assembles the whole landscape on every rank.</summary>
    /// <exception cref="InvalidOperationException">
    /// The sampler has no directions or points; the ranks disagree on the run (every rank gets the same message);
    /// checkpoint files from another rank count exist; or sampling failed on another rank (this rank stops too, so
    /// no rank waits forever).
    /// </exception>
    public LandscapeSamplingResult Sample(IProgress<SamplingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        SamplingPlan plan = Session.AllOrNothing("Preparing the sampling run", () =>
        {
            SamplingPlan resolved = Sampler.Plan();
            RefuseOtherRankCounts(resolved.CheckpointPath);
            return resolved;
        });
        Session.Agree("the sampling run", ["points", "coordinates per point", "values per point", "batch size"], [plan.PointCount, plan.Dimension, plan.ValuesPerPoint, plan.BatchSize]);
        SamplingShard shard = plan.Shard(Session.Rank, Session.Size);
        string? checkpoint = plan.CheckpointPath is { } path
            ? string.Create(CultureInfo.InvariantCulture, $"{path}.rank{Session.Rank}of{Session.Size}")
            : null;

        // Every rank contributes all points' values, zero outside its shard: the sum across ranks is exact (x + 0 = x).
        var local = new double[plan.PointCount * plan.ValuesPerPoint];
        int evaluated = 0;
        int resumed = 0;
        if (shard.PointCount > 0)
        {
            SamplingShardResult part = Session.AllOrNothing("Sampling", () => shard.Sample(checkpoint, progress, cancellationToken));
            part.Values.AsSpan().CopyTo(local.AsSpan(part.Start * plan.ValuesPerPoint));
            evaluated = part.PointsEvaluated;
            resumed = part.PointsFromCheckpoint;
        }
        else
        {
            Session.AllOrNothing("Sampling", () => 0); // take part in the agreement even with an empty share
        }

        double[] all = Session.SumAcrossRanks(local);
        double[] counts = Session.SumAcrossRanks([evaluated, resumed]);
        return plan.Assemble(all, (int)counts[0], (int)counts[1]);
    }
}
