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
            double norm = Norm(directions[i]);
            for (int j = 0; j < i; j++)
            {
                double projection = Dot(directions[i], directions[j]) / Dot(directions[j], directions[j]);
                for (int e = 0; e < directions[i].Length; e++)
                {
                    directions[i][e] -= projection * directions[j][e];
                }
            }

            double after = Norm(directions[i]);
            if (after == 0)
            {
                throw new InvalidOperationException($"Direction {i} lies in the span of the ones before it and cannot be orthogonalised.");
            }

            double scale = norm / after;
            for (int e = 0; e < directions[i].Length; e++)
            {
                directions[i][e] *= scale;
            }
        }
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    private static void Rescale(Span<double> d, ReadOnlySpan<double> w)
    {
        double scale = Norm(w) / (Norm(d) + Epsilon);
        for (int i = 0; i < d.Length; i++)
        {
            d[i] *= scale;
        }
    }
}
