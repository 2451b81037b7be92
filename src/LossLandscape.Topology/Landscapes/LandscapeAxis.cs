namespace LossLandscape.Topology.Landscapes;

/// <summary>
/// One axis of a grid landscape: a name and the coordinate of every sample along it
/// (for a loss landscape, the step α along one direction).
/// </summary>
public sealed class LandscapeAxis
{
    private readonly double[] _coordinates;

    /// <summary>Creates an axis from explicit coordinates.</summary>
    /// <param name="name">Axis name, e.g. <c>"alpha1"</c>.</param>
    /// <param name="coordinates">Coordinate of each sample; at least one, all finite.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="coordinates"/> is null.</exception>
    /// <exception cref="ArgumentException">No coordinates, or a coordinate is not finite.</exception>
    public LandscapeAxis(string name, IReadOnlyList<double> coordinates)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(coordinates);
        if (coordinates.Count == 0)
        {
            throw new ArgumentException("An axis needs at least one coordinate.", nameof(coordinates));
        }

        _coordinates = new double[coordinates.Count];
        for (int i = 0; i < _coordinates.Length; i++)
        {
            double c = coordinates[i];
            if (!double.IsFinite(c))
            {
                throw new ArgumentException($"Axis '{name}' coordinate {i} is {c}; coordinates must be finite.", nameof(coordinates));
            }

            _coordinates[i] = c;
        }

        Name = name;
    }

    /// <summary>Axis name.</summary>
    public string Name { get; }

    /// <summary>Number of samples along the axis.</summary>
    public int Count => _coordinates.Length;

    /// <summary>Coordinate of each sample.</summary>
    public ReadOnlySpan<double> Coordinates => _coordinates;

    /// <summary>Coordinate of sample <paramref name="index"/>.</summary>
    public double this[int index] => _coordinates[index];

    /// <summary>
    /// <paramref name="count"/> evenly spaced coordinates from <paramref name="start"/> to <paramref name="stop"/>
    /// inclusive, computed as NumPy's <c>linspace</c> does (start + i·step, the last one exactly <paramref name="stop"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="start"/> or <paramref name="stop"/> is not finite.</exception>
    public static LandscapeAxis Linspace(string name, double start, double stop, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!double.IsFinite(start) || !double.IsFinite(stop))
        {
            throw new ArgumentException($"Axis '{name}' range [{start}, {stop}] must be finite.", nameof(start));
        }

        var coordinates = new double[count];
        if (count == 1)
        {
            coordinates[0] = start;
        }
        else
        {
            double step = (stop - start) / (count - 1);
            for (int i = 0; i < count; i++)
            {
                coordinates[i] = start + (i * step);
            }

            coordinates[^1] = stop;
        }

        return new LandscapeAxis(name, coordinates);
    }

    /// <summary>Coordinates 0, 1, …, <paramref name="count"/> − 1: the default when a grid comes without axes.</summary>
    public static LandscapeAxis Indices(string name, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var coordinates = new double[count];
        for (int i = 0; i < count; i++)
        {
            coordinates[i] = i;
        }

        return new LandscapeAxis(name, coordinates);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}[{Count}]: {_coordinates[0]} … {_coordinates[^1]}";
}
