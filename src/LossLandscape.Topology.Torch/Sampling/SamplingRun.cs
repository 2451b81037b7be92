using System.Diagnostics;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Parameters;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Sampling;

/// <summary>One execution of a sampler: the perturb-evaluate loop, or the batched loop, with checkpointing.</summary>
internal sealed class SamplingRun(ILossFunction loss, DirectionSet directions, double[,] points, double[]? centre, IBatchedLossFunction? batched)
{
    private readonly int _stride = loss.MetricNames.Count + 1;

    public (double[] Values, int Evaluated, int Resumed) Execute(string? checkpointPath, IProgress<SamplingProgress>? progress, CancellationToken cancellationToken)
    {
        int n = points.GetLength(0);
        var values = new double[n * _stride];
        var done = new bool[n];
        using SamplingCheckpoint? checkpoint = checkpointPath is null
            ? null
            : SamplingCheckpoint.Open(checkpointPath, Fingerprint(), n, _stride, values, done);
        int resumed = done.Count(d => d);
        int[] pending = Enumerable.Range(0, n).Where(q => !done[q]).ToArray();
        var clock = Stopwatch.StartNew();
        int evaluated = 0;

        void Finished(int point)
        {
            checkpoint?.Append(point, values.AsSpan(point * _stride, _stride));
            evaluated++;
            if (progress is not null)
            {
                TimeSpan elapsed = clock.Elapsed;
                TimeSpan remaining = elapsed * ((double)(pending.Length - evaluated) / evaluated);
                progress.Report(new SamplingProgress(resumed + evaluated, n, elapsed, remaining));
            }
        }

        progress?.Report(new SamplingProgress(resumed, n, TimeSpan.Zero, null));
        using var lease = ModelLease.Acquire(loss.Model, "this sampling run");
        if (batched is not null)
        {
            RunBatched(batched, pending, values, Finished, cancellationToken);
        }
        else
        {
            RunInPlace(pending, values, Finished, cancellationToken);
        }

        return (values, evaluated, resumed);
    }

    private void RunInPlace(int[] pending, double[] values, Action<int> finished, CancellationToken cancellationToken)
    {
        int k = directions.Count;
        using var snapshot = ModelStateSnapshot.Capture(loss.Model);
        var parameters = snapshot.Parameters;
        var centres = new Tensor[parameters.Count];
        var steps = new Tensor[parameters.Count, k];
        try
        {
            for (int j = 0; j < parameters.Count; j++)
            {
                centres[j] = centre is null ? snapshot.Saved[j] : Slice(centre, j, parameters[j]).DetachFromDisposeScope();
                for (int i = 0; i < k; i++)
                {
                    steps[j, i] = Slice(directions[i], j, parameters[j]).DetachFromDisposeScope();
                }
            }

            foreach (int q in pending)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using (NewDisposeScope())
                using (no_grad())
                {
                    // One scalar per direction, shared by every parameter tensor.
                    Scalar[] alphas = new Scalar[k];
                    try
                    {
                        for (int i = 0; i < k; i++)
                        {
                            alphas[i] = points[q, i].ToScalar();
                        }

                        for (int j = 0; j < parameters.Count; j++)
                        {
                            // Fresh from the centre for every point: no error accumulates across points.
                            parameters[j].copy_(centres[j]);
                            for (int i = 0; i < k; i++)
                            {
                                parameters[j].add_(steps[j, i], alphas[i]);
                            }
                        }
                    }
                    finally
                    {
                        foreach (Scalar? alpha in alphas)
                        {
                            alpha?.Dispose();
                        }
                    }
                }

                Span<double> row = values.AsSpan(q * _stride, _stride);
                row[0] = loss.Evaluate(row[1..]);

                // A forward pass in train() mode updates buffers (BatchNorm statistics): every point starts from
                // the caller's buffers, so no value depends on the order of the points or on a resume.
                snapshot.RestoreBuffers();
                snapshot.RestoreModes();
                finished(q);
            }
        }
        finally
        {
            snapshot.Restore();
            for (int j = 0; j < parameters.Count; j++)
            {
                if (centre is not null)
                {
                    centres[j]?.Dispose();
                }

                for (int i = 0; i < k; i++)
                {
                    steps[j, i]?.Dispose();
                }
            }
        }
    }

    private void RunBatched(IBatchedLossFunction function, int[] pending, double[] values, Action<int> finished, CancellationToken cancellationToken)
    {
        int k = directions.Count;
        TorchSharp.Modules.Parameter[] parameters = loss.Model.parameters().ToArray();

        // Batches never write the parameters; a loss that also runs the model may move its buffers or modes.
        using var snapshot = ModelStateSnapshot.CaptureBuffersAndModes(loss.Model);

        // Whatever the loss sets up for a run of batches (the MLP kernels take libtorch's threads) lasts exactly this run.
        using IDisposable run = function.BeginRun();
        var centres = new Tensor[parameters.Length];
        var steps = new Tensor[parameters.Length]; // [k, numel] per parameter
        try
        {
            using (no_grad())
            {
                double[] origin = centre ?? ParameterLayout.Flatten(loss.Model);
                for (int j = 0; j < parameters.Length; j++)
                {
                    using var scope = NewDisposeScope();
                    centres[j] = Slice(origin, j, parameters[j]).flatten().unsqueeze(0).DetachFromDisposeScope();
                    steps[j] = stack(Enumerable.Range(0, k).Select(i => Slice(directions[i], j, parameters[j]).flatten()).ToArray()).DetachFromDisposeScope();
                }
            }

            int batchSize = function.PreferredBatchSize;
            var losses = new double[batchSize];
            var metrics = new double[batchSize * (_stride - 1)];
            for (int start = 0; start < pending.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int b = Math.Min(batchSize, pending.Length - start);
                var alphas = new double[b * k];
                for (int r = 0; r < b; r++)
                {
                    for (int i = 0; i < k; i++)
                    {
                        alphas[(r * k) + i] = points[pending[start + r], i];
                    }
                }

                using (var scope = NewDisposeScope())
                {
                    var batch = new Tensor[parameters.Length];
                    using (no_grad())
                    {
                        // The coefficients go to the device once per dtype and device, not once per parameter.
                        Tensor? a = null;
                        for (int j = 0; j < parameters.Length; j++)
                        {
                            if (a is null || a.dtype != parameters[j].dtype || a.device != parameters[j].device)
                            {
                                a = tensor(alphas, [b, k], dtype: parameters[j].dtype, device: parameters[j].device);
                            }

                            batch[j] = TensorArithmetic.Plus(centres[j], a.mm(steps[j])).view([b, .. parameters[j].shape]);
                        }
                    }

                    function.EvaluateBatch(batch, losses.AsSpan(0, b), metrics.AsSpan(0, b * (_stride - 1)));
                }

                for (int r = 0; r < b; r++)
                {
                    int q = pending[start + r];
                    values[q * _stride] = losses[r];
                    metrics.AsSpan(r * (_stride - 1), _stride - 1).CopyTo(values.AsSpan((q * _stride) + 1, _stride - 1));
                    finished(q);
                }
            }
        }
        finally
        {
            snapshot.Restore();
            foreach (Tensor? t in centres.Concat(steps))
            {
                t?.Dispose();
            }
        }
    }

    /// <summary>Parameter <paramref name="index"/>'s part of a flat vector, as a tensor like that parameter.</summary>
    private Tensor Slice(ReadOnlySpan<double> flat, int index, Tensor like)
    {
        ParameterLayout layout = directions.Layout;
        double[] part = flat.Slice(checked((int)layout.OffsetOf(index)), checked((int)layout.CountOf(index))).ToArray();
        return tensor(part, like.shape, dtype: like.dtype, device: like.device);
    }

    private byte[] Fingerprint() => SamplingCheckpoint.Fingerprint(writer =>
    {
        foreach (double v in points)
        {
            writer.Write(v);
        }

        for (int i = 0; i < directions.Count; i++)
        {
            foreach (double v in directions[i])
            {
                writer.Write(v);
            }
        }

        // The centre decides the values: the explicit one, or the model's parameters as they are now.
        foreach (double v in centre ?? ParameterLayout.Flatten(loss.Model))
        {
            writer.Write(v);
        }

        // Buffers (BatchNorm statistics) and train/eval mode decide the values as much as the parameters do.
        using (NewDisposeScope())
        {
            foreach ((string name, Tensor buffer) in loss.Model.named_buffers())
            {
                writer.Write(name);
                writer.Write(buffer.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray().SelectMany(BitConverter.GetBytes).ToArray());
            }
        }

        foreach ((string name, nn.Module module) in loss.Model.named_modules())
        {
            writer.Write(name);
            writer.Write(module.training);
        }

        writer.Write(loss.Model.training);
        foreach (string name in loss.MetricNames)
        {
            writer.Write(name);
        }

        writer.Write(batched?.PreferredBatchSize ?? 0);
    });
}
