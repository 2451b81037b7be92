using System.Numerics.Tensors;
using LossLandscape.Topology.Torch.Parameters;

namespace LossLandscape.Topology.Torch.Directions;

/// <summary>Normalisation and orthogonalisation of flat direction vectors.</summary>
internal static class DirectionMath
{
    private const double Epsilon = 1e-10; // Li et al.'s guard against a zero direction

    public static void Normalize(Span<double> direction, ReadOnlySpan<double> weights, ParameterLayout layout, DirectionNormalization normalization, bool ignoreBiasAndNorm)
    {
        for (int p = 0; p < layout.Count; p++)
        {
            int offset = checked((int)layout.OffsetOf(p));
            int count = checked((int)layout.CountOf(p));
            Span<double> d = direction.Slice(offset, count);
            ReadOnlySpan<double> w = weights.Slice(offset, count);
            if (layout.Shapes[p].Length <= 1)
            {
                if (ignoreBiasAndNorm)
                {
                    d.Clear();
                }
                else if (normalization != DirectionNormalization.None)
                {
                    w.CopyTo(d);
                }

                continue;
            }

            switch (normalization)
            {
                case DirectionNormalization.Filter:
                    int rows = checked((int)layout.Shapes[p][0]);
                    int rowLength = rows == 0 ? 0 : count / rows;
                    for (int r = 0; r < rows; r++)
                    {
                        Rescale(d.Slice(r * rowLength, rowLength), w.Slice(r * rowLength, rowLength));
                    }

                    break;
                case DirectionNormalization.Layer:
                    Rescale(d, w);
                    break;
            }
        }
    }

    /// <summary>Gram–Schmidt, each vector keeping its original norm.</summary>
    public static void Orthogonalize(double[][] directions)
    {
        for (int i = 0; i < directions.Length; i++)
        {
            double[] d = directions[i];
            double norm = TensorPrimitives.Norm<double>(d);
            for (int j = 0; j < i; j++)
            {
                // The earlier directions are not unit vectors: project onto each with its own squared norm.
                TensorPrimitives.MultiplyAdd(directions[j], -TensorPrimitives.Dot<double>(d, directions[j]) / TensorPrimitives.Dot(directions[j], directions[j]), d, d);
            }

            double after = TensorPrimitives.Norm<double>(d);
            if (after == 0)
            {
                throw new InvalidOperationException($"Direction {i} lies in the span of the ones before it and cannot be orthogonalised.");
            }

            TensorPrimitives.Multiply(d, norm / after, d);
        }
    }

    private static void Rescale(Span<double> d, ReadOnlySpan<double> w) => TensorPrimitives.Multiply(d, TensorPrimitives.Norm(w) / (TensorPrimitives.Norm<double>(d) + Epsilon), d);
}
