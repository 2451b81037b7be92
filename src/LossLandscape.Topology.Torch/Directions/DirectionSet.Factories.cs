using System.Numerics.Tensors;
using LossLandscape.Topology.Torch.Parameters;
using MathNet.Numerics.LinearAlgebra;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Directions;

/// <summary>Direction sets made from given vectors, from trained models and from training trajectories.</summary>
public sealed partial class DirectionSet
{
    /// <summary>Directions given as flat vectors in <paramref name="model"/>'s parameter layout.</summary>
    /// <exception cref="ArgumentException">A vector's length differs from the model's parameter count, or it has a non-finite entry.</exception>
    public static DirectionSet FromVectors(nn.Module model, params double[][] vectors)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new DirectionSet(ParameterLayout.Of(model), vectors, null, "given vectors");
    }

    /// <summary>
    /// The line from <paramref name="start"/> to <paramref name="end"/> (Goodfellow et al.'s interpolation):
    /// centre θ_start, direction θ_end − θ_start, so α = 0 is the first model and α = 1 the second.
    /// </summary>
    /// <exception cref="ArgumentException">The models' parameter layouts differ.</exception>
    public static DirectionSet Between(nn.Module start, nn.Module end)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        var layout = ParameterLayout.Of(start);
        layout.EnsureMatches(end, nameof(end));
        double[] a = ParameterLayout.Flatten(start);
        return new DirectionSet(layout, [Difference(ParameterLayout.Flatten(end), a)], a, "interpolation between two models");
    }

    /// <summary>
    /// The plane through three models: centre θ_a, directions θ_b − θ_a and θ_c − θ_a, so (0, 0), (1, 0) and
    /// (0, 1) are the three models.
    /// </summary>
    /// <exception cref="ArgumentException">The models' parameter layouts differ.</exception>
    public static DirectionSet Plane(nn.Module a, nn.Module b, nn.Module c)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        var layout = ParameterLayout.Of(a);
        layout.EnsureMatches(b, nameof(b));
        layout.EnsureMatches(c, nameof(c));
        double[] origin = ParameterLayout.Flatten(a);
        return new DirectionSet(layout, [Difference(ParameterLayout.Flatten(b), origin), Difference(ParameterLayout.Flatten(c), origin)], origin, "plane through three models");
    }

    /// <summary>
    /// The top principal components of a training trajectory relative to the final parameters (Li et al.'s
    /// trajectory plot): the snapshots θ₀ … θ_{m−1} minus θ_final, centred, then the leading right singular
    /// vectors, as unit vectors. Computed through the m × m Gram matrix, so memory stays O(m·P).
    /// </summary>
    /// <param name="model">The model at its final parameters (the centre).</param>
    /// <param name="trajectory">Flat parameter snapshots taken during training; more than <paramref name="count"/>.</param>
    /// <param name="count">Number of components.</param>
    /// <exception cref="ArgumentException">Too few snapshots, or a snapshot of the wrong length.</exception>
    public static DirectionSet PrincipalComponents(nn.Module model, IReadOnlyList<double[]> trajectory, int count = 2)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (trajectory.Count <= count)
        {
            throw new ArgumentException($"{count} components need more than {count} snapshots; got {trajectory.Count}.", nameof(trajectory));
        }

        var layout = ParameterLayout.Of(model);
        double[] final = ParameterLayout.Flatten(model);
        int m = trajectory.Count;
        int p = final.Length;
        var rows = new double[m][];
        for (int i = 0; i < m; i++)
        {
            if (trajectory[i].Length != p)
            {
                throw new ArgumentException($"Snapshot {i} has {trajectory[i].Length} entries; the model has {p} parameters.", nameof(trajectory));
            }

            rows[i] = Difference(trajectory[i], final);
        }

        var mean = new double[p];
        foreach (double[] row in rows)
        {
            for (int j = 0; j < p; j++)
            {
                mean[j] += row[j] / m;
            }
        }

        foreach (double[] row in rows)
        {
            for (int j = 0; j < p; j++)
            {
                row[j] -= mean[j];
            }
        }

        Matrix<double> gram = Matrix<double>.Build.Dense(m, m, (i, j) => TensorPrimitives.Dot(rows[i], rows[j]));
        var evd = gram.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, m).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var directions = new double[count][];
        for (int k = 0; k < count; k++)
        {
            double lambda = evd.EigenValues[order[k]].Real;
            if (lambda <= 1e-12 * Math.Max(1, evd.EigenValues[order[0]].Real))
            {
                throw new ArgumentException($"The trajectory spans fewer than {count} dimensions.", nameof(trajectory));
            }

            var v = evd.EigenVectors.Column(order[k]);
            var direction = new double[p];
            for (int i = 0; i < m; i++)
            {
                TensorPrimitives.MultiplyAdd(rows[i], v[i], direction, direction);
            }

            TensorPrimitives.Divide(direction, TensorPrimitives.Norm(direction), direction);

            directions[k] = direction;
        }

        return new DirectionSet(layout, directions, null, $"top {count} principal components of a {m}-snapshot trajectory");
    }

    private static double[] Difference(double[] a, double[] b)
    {
        var d = new double[a.Length];
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = a[i] - b[i];
        }

        return d;
    }
}
