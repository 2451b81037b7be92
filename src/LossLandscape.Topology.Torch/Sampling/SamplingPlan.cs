using System.Collections.Immutable;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Losses;

namespace LossLandscape.Topology.Torch.Sampling;

/// <summary>
/// A sampling run resolved into its points (the grid enumerated row-major, or the scattered points), ready to be
/// split into shards — for MPI ranks, a scheduler's job array, several machines — and assembled again. What
/// <see cref="LandscapeSampler.SampleWithMetrics"/> does is <c>Assemble([Shard(0, 1).Sample(checkpoint)])</c>.
/// </summary>
/// <remarks>
/// Shards are contiguous and balanced, and start at multiples of <see cref="BatchSize"/>, so every batch a shard
/// evaluates is the batch a single run would evaluate: assembled results equal the single run's exactly.
/// </remarks>
/// <example>
/// <code>
/// SamplingPlan plan = sampler.Plan();
/// SamplingShardResult mine = plan.Shard(rank, ranks).Sample($"run.ckpt.{rank}of{ranks}");
/// // … collect every rank's result …
/// LandscapeSamplingResult all = plan.Assemble(results);
/// </code>
/// </example>
public sealed class SamplingPlan
{
    private readonly double[,] _points;
    private readonly LandscapeAxis[]? _axes;
    private readonly DirectionSet _directions;
    private readonly double[]? _center;
    private readonly IBatchedLossFunction? _batched;

    internal SamplingPlan(ILossFunction loss, DirectionSet directions, double[,] points, LandscapeAxis[]? axes, double[]? center, IBatchedLossFunction? batched, string? checkpointPath)
    {
        Loss = loss;
        _directions = directions;
        _points = points;
        _axes = axes;
        _center = center;
        _batched = batched;
        CheckpointPath = checkpointPath;
    }

    /// <summary>The loss being sampled.</summary>
    public ILossFunction Loss { get; }

    /// <summary>Points in the run.</summary>
    public int PointCount => _points.GetLength(0);

    /// <summary>Coordinates per point (the number of directions).</summary>
    public int Dimension => _points.GetLength(1);

    /// <summary>Values per point: the loss, then the loss function's metrics in <see cref="ILossFunction.MetricNames"/> order.</summary>
    public int ValuesPerPoint => Loss.MetricNames.Count + 1;

    /// <summary>Points per batched call (1 when evaluation is not batched); shard boundaries are multiples of it.</summary>
    public int BatchSize => _batched?.PreferredBatchSize ?? 1;

    /// <summary>The sampler's checkpoint path, if it has one (a shard gets its own file; see <see cref="SamplingShard.Sample"/>).</summary>
    public string? CheckpointPath { get; }

    /// <summary>Coordinate <paramref name="axis"/> of point <paramref name="point"/>.</summary>
    public double Coordinate(int point, int axis) => _points[point, axis];

    /// <summary>
    /// Shard <paramref name="index"/> of <paramref name="count"/>: the points [Start, End), contiguous and balanced in
    /// batches, so shards differ by at most one batch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1, or <paramref name="index"/> is not in [0, count).</exception>
    public SamplingShard Shard(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        int n = PointCount;
        int batch = BatchSize;
        int blocks = (n + batch - 1) / batch;
        int Start(int r) => Math.Min(n, (int)((long)blocks * r / count) * batch);
        return new SamplingShard(this, index, count, Start(index), Start(index + 1));
    }

    /// <summary>The whole run's result from the results of shards that cover every point exactly once.</summary>
    /// <exception cref="ArgumentException">The shards overlap, leave points out, or do not belong to this plan's shape.</exception>
    public LandscapeSamplingResult Assemble(IEnumerable<SamplingShardResult> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        int n = PointCount;
        int stride = ValuesPerPoint;
        var values = new double[n * stride];
        var covered = new bool[n];
        int evaluated = 0;
        int resumed = 0;
        foreach (SamplingShardResult shard in shards)
        {
            ArgumentNullException.ThrowIfNull(shard, nameof(shards));
            if (shard.Start < 0 || shard.End > n || shard.Start > shard.End || shard.Values.Length != (shard.End - shard.Start) * stride)
            {
                throw new ArgumentException($"A shard covers [{shard.Start}, {shard.End}) with {shard.Values.Length} values; this plan has {n} points of {stride} values each.", nameof(shards));
            }

            for (int q = shard.Start; q < shard.End; q++)
            {
                if (covered[q])
                {
                    throw new ArgumentException($"Point {q} is in more than one shard.", nameof(shards));
                }

                covered[q] = true;
            }

            shard.Values.AsSpan().CopyTo(values.AsSpan(shard.Start * stride));
            evaluated += shard.PointsEvaluated;
            resumed += shard.PointsFromCheckpoint;
        }

        int missing = Array.IndexOf(covered, false);
        if (missing >= 0)
        {
            throw new ArgumentException($"Point {missing} is in no shard; the shards must cover all {n} points.", nameof(shards));
        }

        return Assemble(values, evaluated, resumed);
    }

    /// <summary>
    /// The whole run's result from every point's values, point after point (<see cref="ValuesPerPoint"/> each: the
    /// loss, then the metrics) — e.g. after summing zero-padded shards across processes.
    /// </summary>
    /// <exception cref="ArgumentException">The span is not <see cref="PointCount"/> × <see cref="ValuesPerPoint"/> long.</exception>
    public LandscapeSamplingResult Assemble(ReadOnlySpan<double> values, int pointsEvaluated, int pointsFromCheckpoint)
    {
        int stride = ValuesPerPoint;
        int n = PointCount;
        if (values.Length != n * stride)
        {
            throw new ArgumentException($"Got {values.Length} values; {n} points of {stride} values need {n * stride}.", nameof(values));
        }

        var columns = new double[stride][];
        for (int c = 0; c < stride; c++)
        {
            columns[c] = new double[n];
            for (int q = 0; q < n; q++)
            {
                columns[c][q] = values[(q * stride) + c];
            }
        }

        Landscape Column(int column) => _axes is not null
            ? Landscape.FromGrid(columns[column], _axes.Select(a => a.Count).ToArray(), _axes)
            : Landscape.FromPoints(_points, columns[column]);

        var metrics = new Dictionary<string, Landscape>();
        for (int m = 0; m < Loss.MetricNames.Count; m++)
        {
            metrics[Loss.MetricNames[m]] = Column(m + 1);
        }

        return new LandscapeSamplingResult(Column(0), metrics, pointsEvaluated, pointsFromCheckpoint);
    }

    /// <summary>Evaluates points [start, end) with an optional checkpoint of their own.</summary>
    internal SamplingShardResult Run(int start, int end, string? checkpointPath, IProgress<SamplingProgress>? progress, CancellationToken cancellationToken)
    {
        double[,] share = start == 0 && end == PointCount ? _points : Rows(start, end); // a whole run needs no copy

        var run = new SamplingRun(Loss, _directions, share, _center, _batched);
        (double[] values, int evaluated, int resumed) = run.Execute(checkpointPath, progress, cancellationToken);
        return new SamplingShardResult(start, end, [.. values], evaluated, resumed);
    }

    private double[,] Rows(int start, int end)
    {
        var rows = new double[end - start, Dimension];
        Buffer.BlockCopy(_points, start * Dimension * sizeof(double), rows, 0, rows.Length * sizeof(double));
        return rows;
    }
}

/// <summary>One shard of a <see cref="SamplingPlan"/>: the points [<see cref="Start"/>, <see cref="End"/>).</summary>
public sealed class SamplingShard
{
    private readonly SamplingPlan _plan;

    internal SamplingShard(SamplingPlan plan, int index, int count, int start, int end)
    {
        _plan = plan;
        Index = index;
        Count = count;
        Start = start;
        End = end;
    }

    /// <summary>This shard's index.</summary>
    public int Index { get; }

    /// <summary>The number of shards the plan was split into.</summary>
    public int Count { get; }

    /// <summary>The first point.</summary>
    public int Start { get; }

    /// <summary>One past the last point.</summary>
    public int End { get; }

    /// <summary>Points in the shard.</summary>
    public int PointCount => End - Start;

    /// <summary>
    /// Evaluates the shard's points. The model's parameters, buffers and training flags are restored afterwards, also
    /// after an exception or a cancellation.
    /// </summary>
    /// <param name="checkpointPath">This shard's own checkpoint file (finished points are kept and resumed), or null.</param>
    /// <param name="progress">Progress over the shard's points.</param>
    /// <param name="cancellationToken">Cancels the run; finished points stay in the checkpoint.</param>
    /// <exception cref="InvalidOperationException">Another thread is using the model, or the checkpoint belongs to another run or is corrupt.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public SamplingShardResult Sample(string? checkpointPath = null, IProgress<SamplingProgress>? progress = null, CancellationToken cancellationToken = default)
        => _plan.Run(Start, End, checkpointPath, progress, cancellationToken);
}

/// <summary>What one shard produced.</summary>
/// <param name="Start">The shard's first point.</param>
/// <param name="End">One past its last point.</param>
/// <param name="Values">Its points' values, point after point: the loss, then the metrics.</param>
/// <param name="PointsEvaluated">Points evaluated in this run.</param>
/// <param name="PointsFromCheckpoint">Points taken from the shard's checkpoint.</param>
public sealed record SamplingShardResult(int Start, int End, ImmutableArray<double> Values, int PointsEvaluated, int PointsFromCheckpoint);
