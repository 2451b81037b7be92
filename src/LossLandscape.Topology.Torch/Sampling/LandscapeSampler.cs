using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Parameters;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Sampling;

/// <summary>
/// Evaluates f(a) = L(c + Σ aᵢ dᵢ) on a grid or at scattered points of the subspace spanned by a
/// <see cref="DirectionSet"/> (stage 2 of the pipeline). c is the model's current parameters θ unless a center is
/// given. Immutable and fluent: each <c>With…</c>/<c>On…</c> call returns a new sampler.
/// </summary>
/// <remarks>
/// The model is never copied: its parameters are overwritten in place with c + Σ aᵢ dᵢ, computed afresh for every
/// point (never by accumulating steps), and the original values are copied back bit for bit when the run ends,
/// also when the loss throws or the run is cancelled. A loss that implements <see cref="IBatchedLossFunction"/>
/// gets B points per call instead and the model's parameters are not touched. Every tensor is created on the
/// device and with the dtype of the parameter it belongs to.
/// </remarks>
public sealed class LandscapeSampler
{
    private readonly DirectionSet? _directions;
    private readonly LandscapeAxis[]? _axes;
    private readonly double[,]? _points;
    private readonly double[]? _center;
    private readonly string? _checkpointPath;
    private readonly bool _batching = true;

    /// <summary>Creates a sampler for <paramref name="loss"/>, whose model is the one perturbed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/> is null.</exception>
    public LandscapeSampler(ILossFunction loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Loss = loss;
    }

    private LandscapeSampler(LandscapeSampler other, DirectionSet? directions, LandscapeAxis[]? axes, double[,]? points, double[]? center, string? checkpoint, bool batching)
    {
        Loss = other.Loss;
        _directions = directions;
        _axes = axes;
        _points = points;
        _center = center;
        _checkpointPath = checkpoint;
        _batching = batching;
    }

    /// <summary>The loss being sampled.</summary>
    public ILossFunction Loss { get; }

    /// <summary>Samples along <paramref name="directions"/> (their center, if they carry one, becomes the center).</summary>
    /// <exception cref="ArgumentException">The directions were made for another parameter layout (the message names the first mismatch).</exception>
    public LandscapeSampler Along(DirectionSet directions)
    {
        ArgumentNullException.ThrowIfNull(directions);
        directions.Layout.EnsureMatches(Loss.Model, nameof(directions));
        return new(this, directions, _axes, _points, _center, _checkpointPath, _batching);
    }

    /// <summary>A grid with <paramref name="count"/> points from <paramref name="min"/> to <paramref name="max"/> on every axis.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Along"/> was not called first.</exception>
    public LandscapeSampler OnGrid(double min, double max, int count)
    {
        DirectionSet directions = _directions ?? throw new InvalidOperationException("Call Along(directions) before OnGrid: the grid needs one axis per direction.");
        return OnGrid(Enumerable.Range(0, directions.Count).Select(i => LandscapeAxis.Linspace($"alpha{i + 1}", min, max, count)).ToArray());
    }

    /// <summary>A grid with one axis (range and resolution) per direction.</summary>
    /// <exception cref="ArgumentException">The number of axes differs from the number of directions.</exception>
    public LandscapeSampler OnGrid(params LandscapeAxis[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (_directions is not null && axes.Length != _directions.Count)
        {
            throw new ArgumentException($"The grid has {axes.Length} axes but there are {_directions.Count} directions.", nameof(axes));
        }

        return new(this, _directions, axes, null, _center, _checkpointPath, _batching);
    }

    /// <summary>Scattered points: one row per point, one column per direction.</summary>
    /// <exception cref="ArgumentException">The column count differs from the number of directions, or a coordinate is not finite.</exception>
    public LandscapeSampler AtPoints(double[,] coordinates)
    {
        ArgumentNullException.ThrowIfNull(coordinates);
        if (_directions is not null && coordinates.GetLength(1) != _directions.Count)
        {
            throw new ArgumentException($"The points have {coordinates.GetLength(1)} coordinates but there are {_directions.Count} directions.", nameof(coordinates));
        }

        foreach (double c in coordinates)
        {
            if (!double.IsFinite(c))
            {
                throw new ArgumentException($"A point coordinate is {c}; coordinates must be finite.", nameof(coordinates));
            }
        }

        return new(this, _directions, null, (double[,])coordinates.Clone(), _center, _checkpointPath, _batching);
    }

    /// <summary>Centres the landscape on these flat parameters instead of the model's current θ.</summary>
    public LandscapeSampler CenteredAt(double[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new(this, _directions, _axes, _points, (double[])parameters.Clone(), _checkpointPath, _batching);
    }

    /// <summary>
    /// Persists every finished point to <paramref name="path"/>; a run restarted with the same arguments skips
    /// the points already there and produces the same values as an uninterrupted run.
    /// </summary>
    public LandscapeSampler WithCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new(this, _directions, _axes, _points, _center, path, _batching);
    }

    /// <summary>Turns batched evaluation off (or back on) for a loss that offers it.</summary>
    public LandscapeSampler WithBatching(bool enabled) => new(this, _directions, _axes, _points, _center, _checkpointPath, enabled);

    /// <summary>Samples the loss.</summary>
    /// <inheritdoc cref="SampleWithMetrics" />
    public Landscape Sample(IProgress<SamplingProgress>? progress = null, CancellationToken cancellationToken = default)
        => SampleWithMetrics(progress, cancellationToken).Loss;

    /// <summary>Samples the loss and the loss function's extra metrics.</summary>
    /// <exception cref="InvalidOperationException">
    /// No directions or no grid/points were given, the grid's axes or the points' columns do not match the number of
    /// directions (whatever the order of the fluent calls), another thread is using the model, or the checkpoint
    /// belongs to another run or is corrupt.
    /// </exception>
    /// <exception cref="OperationCanceledException">The run was cancelled; the parameters are restored and finished points stay in the checkpoint.</exception>
    public LandscapeSamplingResult SampleWithMetrics(IProgress<SamplingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        SamplingPlan plan = Plan();
        return plan.Assemble([plan.Shard(0, 1).Sample(_checkpointPath, progress, cancellationToken)]);
    }

    /// <summary>The run resolved into its points, to split into shards (<see cref="SamplingPlan.Shard"/>) and assemble.</summary>
    /// <exception cref="InvalidOperationException">
    /// No directions or no grid/points were given, or the grid's axes or the points' columns do not match the number of
    /// directions (whatever the order of the fluent calls).
    /// </exception>
    public SamplingPlan Plan()
    {
        DirectionSet directions = _directions ?? throw new InvalidOperationException("No directions: call Along(directions).");
        if (_axes is null && _points is null)
        {
            throw new InvalidOperationException("No points: call OnGrid(…) or AtPoints(…).");
        }

        // The fluent calls may come in any order: the whole state is checked here, where it is used.
        if (_axes is not null && _axes.Length != directions.Count)
        {
            throw new InvalidOperationException($"The grid has {_axes.Length} axes but there are {directions.Count} directions: give OnGrid one axis per direction.");
        }

        if (_points is not null && _points.GetLength(1) != directions.Count)
        {
            throw new InvalidOperationException($"The points have {_points.GetLength(1)} coordinates but there are {directions.Count} directions: give AtPoints one column per direction.");
        }

        directions.Layout.EnsureMatches(Loss.Model, nameof(directions));
        double[,] points = _points ?? GridPoints(_axes!);
        double[]? center = _center ?? (directions.HasCenter ? directions.Center.ToArray() : null);
        if (center is not null && center.LongLength != directions.Layout.TotalCount)
        {
            throw new ArgumentException($"The center has {center.LongLength} entries; the model has {directions.Layout.TotalCount} parameters.");
        }

        IBatchedLossFunction? batched = _batching ? Loss as IBatchedLossFunction : null;
        return new SamplingPlan(Loss, directions, points, _points is null ? _axes : null, center, batched, _checkpointPath);
    }

    private static double[,] GridPoints(LandscapeAxis[] axes)
    {
        int k = axes.Length;
        long total = axes.Aggregate(1L, (a, axis) => a * axis.Count);
        if (total > int.MaxValue)
        {
            throw new InvalidOperationException($"The grid has {total} points, more than one run can hold.");
        }

        var points = new double[total, k];
        var index = new int[k];
        for (int q = 0; q < total; q++)
        {
            for (int d = 0; d < k; d++)
            {
                points[q, d] = axes[d][index[d]];
            }

            for (int d = k - 1; d >= 0 && ++index[d] == axes[d].Count; d--)
            {
                index[d] = 0;
            }
        }

        return points;
    }
}
