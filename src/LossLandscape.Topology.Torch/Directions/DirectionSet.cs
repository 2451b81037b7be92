using LossLandscape.Topology.Torch.Parameters;

namespace LossLandscape.Topology.Torch.Directions;

/// <summary>
/// k directions in a model's parameter space, each a flat vector laid out by a <see cref="ParameterLayout"/>,
/// optionally with the point they start from (the center of the landscape). Managed doubles, independent of any
/// device, so that a set can be saved, reloaded and applied to the same model on CPU or GPU. Immutable.
/// </summary>
public sealed partial class DirectionSet
{
    private readonly double[][] _directions;
    private readonly double[]? _center;

    /// <summary>Creates a direction set.</summary>
    /// <param name="layout">The parameter layout the vectors follow.</param>
    /// <param name="directions">At least one vector, each of <see cref="ParameterLayout.TotalCount"/> finite entries; copied.</param>
    /// <param name="center">The starting point (flat parameters), or null for the model's current parameters; copied.</param>
    /// <param name="description">How the directions were made, for files and reports.</param>
    /// <exception cref="ArgumentException">No direction, a length mismatch, or a non-finite entry (named by direction and index).</exception>
    public DirectionSet(ParameterLayout layout, IReadOnlyList<double[]> directions, double[]? center = null, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(directions);
        if (directions.Count == 0)
        {
            throw new ArgumentException("A direction set needs at least one direction.", nameof(directions));
        }

        _directions = new double[directions.Count][];
        for (int i = 0; i < directions.Count; i++)
        {
            _directions[i] = CheckedCopy(directions[i], layout, $"Direction {i}", nameof(directions));
        }

        _center = center is null ? null : CheckedCopy(center, layout, "The center", nameof(center));
        Layout = layout;
        Description = description ?? string.Empty;
    }

    /// <summary>The parameter layout.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>Number of directions k (the landscape's dimension).</summary>
    public int Count => _directions.Length;

    /// <summary>The starting point, or empty when the model's current parameters are the center.</summary>
    public ReadOnlySpan<double> Center => _center;

    /// <summary>True when the set carries its own center.</summary>
    public bool HasCenter => _center is not null;

    /// <summary>How the directions were made.</summary>
    public string Description { get; }

    /// <summary>Direction <paramref name="index"/> as a flat vector.</summary>
    public ReadOnlySpan<double> this[int index] => _directions[index];

    /// <summary>Euclidean norm of direction <paramref name="index"/>.</summary>
    public double Norm(int index) => Math.Sqrt(Dot(index, index));

    /// <summary>Inner product of two directions.</summary>
    public double Dot(int first, int second)
    {
        double sum = 0;
        double[] a = _directions[first];
        double[] b = _directions[second];
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Cosine of the angle between two directions.</summary>
    public double Cosine(int first, int second) => Dot(first, second) / (Norm(first) * Norm(second));

    /// <summary>The same directions with another (or no) center.</summary>
    public DirectionSet CenteredAt(double[]? center) => new(Layout, _directions, center, Description);

    /// <inheritdoc />
    public override string ToString() => $"{Count} direction(s) over {Layout}{(Description.Length > 0 ? $": {Description}" : string.Empty)}";

    private static double[] CheckedCopy(double[] vector, ParameterLayout layout, string what, string argument)
    {
        ArgumentNullException.ThrowIfNull(vector, argument);
        if (vector.LongLength != layout.TotalCount)
        {
            throw new ArgumentException($"{what} has {vector.LongLength} entries; the model has {layout.TotalCount} parameters.", argument);
        }

        for (int j = 0; j < vector.Length; j++)
        {
            if (!double.IsFinite(vector[j]))
            {
                throw new ArgumentException($"{what} has the non-finite value {vector[j]} at index {j}.", argument);
            }
        }

        return (double[])vector.Clone();
    }
}
