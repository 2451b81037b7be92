using System.Numerics;
using System.Globalization;
using System.Text;

namespace LossLandscape.Topology.Landscapes;

/// <summary>
/// Scalar values (losses) sampled either on a regular k-dimensional grid with one <see cref="LandscapeAxis"/>
/// per dimension, or at scattered points of a k-dimensional subspace with explicit coordinates.
/// </summary>
/// <remarks>
/// Grid values are stored flat in row-major (C, NumPy) order: the last axis varies fastest, so the 2-D value
/// at [i, j] sits at i·shape[1] + j. Vertex indices used everywhere in the library are these flat indices.
/// Values may hold NaN and ±∞; what NaN means is decided when a merge tree is built
/// (<see cref="MergeTrees.MergeTreeOptions.NaNHandling"/>). Instances are immutable.
/// </remarks>
public sealed class Landscape
{
    private readonly double[] _values;
    private readonly int[] _shape;
    private readonly LandscapeAxis[] _axes;
    private readonly double[]? _pointCoordinates;

    private Landscape(double[] values, int[] shape, LandscapeAxis[] axes, double[]? pointCoordinates, int dimension)
    {
        _values = values;
        _shape = shape;
        _axes = axes;
        _pointCoordinates = pointCoordinates;
        Dimension = dimension;
    }

    /// <summary>True for a regular grid, false for scattered points.</summary>
    public bool IsGrid => _pointCoordinates is null;

    /// <summary>Dimension k of the subspace (number of grid axes or of point coordinates).</summary>
    public int Dimension { get; }

    /// <summary>Number of samples (vertices).</summary>
    public int Count => _values.Length;

    /// <summary>The sampled values, flat (row-major for grids).</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Grid shape (samples per axis); empty for scattered points.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Grid axes; empty for scattered points.</summary>
    public IReadOnlyList<LandscapeAxis> Axes => _axes;

    /// <summary>Creates a 2-D grid landscape from <c>values[i, j]</c> (i along the first axis, j along the second).</summary>
    /// <param name="values">The samples; copied.</param>
    /// <param name="first">Coordinates along the first axis (rows); indices when null.</param>
    /// <param name="second">Coordinates along the second axis (columns); indices when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">The array is empty, or an axis length differs from the array's.</exception>
    public static Landscape FromGrid(double[,] values, LandscapeAxis? first = null, LandscapeAxis? second = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Create(Flatten(values), [values.GetLength(0), values.GetLength(1)], AxesOrNull(first, second), nameof(values));
    }

    /// <summary>Creates a 2-D grid landscape from single-precision <c>values[i, j]</c>, widened to double.</summary>
    /// <inheritdoc cref="FromGrid(double[,], LandscapeAxis?, LandscapeAxis?)" />
    public static Landscape FromGrid(float[,] values, LandscapeAxis? first = null, LandscapeAxis? second = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Create(Flatten(values), [values.GetLength(0), values.GetLength(1)], AxesOrNull(first, second), nameof(values));
    }

    /// <summary>Creates a k-dimensional grid landscape from flat row-major values and a shape.</summary>
    /// <param name="values">Flat values, last axis fastest; copied.</param>
    /// <param name="shape">Samples per axis; every entry ≥ 1 and the product equal to the number of values.</param>
    /// <param name="axes">One axis per dimension, or null for index coordinates.</param>
    /// <exception cref="ArgumentException">The shape is empty, has an entry below 1, does not match the number of values, or an axis length differs.</exception>
    public static Landscape FromGrid(ReadOnlySpan<double> values, ReadOnlySpan<int> shape, IReadOnlyList<LandscapeAxis>? axes = null)
        => Create(values.ToArray(), shape.ToArray(), axes, nameof(values));

    /// <summary>Creates a k-dimensional grid landscape from flat row-major single-precision values, widened to double.</summary>
    /// <inheritdoc cref="FromGrid(ReadOnlySpan{double}, ReadOnlySpan{int}, IReadOnlyList{LandscapeAxis}?)" />
    public static Landscape FromGrid(ReadOnlySpan<float> values, ReadOnlySpan<int> shape, IReadOnlyList<LandscapeAxis>? axes = null)
    {
        var flat = new double[values.Length];
        for (int i = 0; i < flat.Length; i++)
        {
            flat[i] = values[i];
        }

        return Create(flat, shape.ToArray(), axes, nameof(values));
    }

    /// <summary>
    /// Samples <paramref name="function"/> at every point of the grid spanned by <paramref name="axes"/>
    /// (handy for tests, examples and analytic landscapes).
    /// </summary>
    /// <param name="function">Receives the coordinates of one grid point (one entry per axis) and returns its value.</param>
    /// <param name="axes">One axis per dimension, at least one.</param>
    public static Landscape FromFunction(Func<ReadOnlySpan<double>, double> function, params LandscapeAxis[] axes)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length == 0)
        {
            throw new ArgumentException("At least one axis is needed.", nameof(axes));
        }

        int nullAxis = Array.IndexOf(axes, null);
        if (nullAxis >= 0)
        {
            throw new ArgumentNullException(nameof(axes), $"Axis {nullAxis} is null.");
        }

        axes = (LandscapeAxis[])axes.Clone(); // the caller's params array may change later; the landscape may not
        int[] shape = axes.Select(a => a.Count).ToArray();
        long count = Checked(shape, nameof(axes));
        var values = new double[count];
        Span<double> point = stackalloc double[axes.Length];
        Span<int> index = stackalloc int[axes.Length];
        for (long v = 0; v < count; v++)
        {
            for (int d = 0; d < axes.Length; d++)
            {
                point[d] = axes[d][index[d]];
            }

            values[v] = function(point);
            for (int d = axes.Length - 1; d >= 0 && ++index[d] == shape[d]; d--)
            {
                index[d] = 0;
            }
        }

        return new Landscape(values, shape, axes, null, axes.Length);
    }

    /// <summary>Creates a landscape of scattered samples.</summary>
    /// <param name="coordinates">Coordinates, one row per point and one column per dimension; copied; all finite.</param>
    /// <param name="values">One value per point; copied.</param>
    /// <exception cref="ArgumentException">No points or no dimensions, a count mismatch, or a non-finite coordinate.</exception>
    public static Landscape FromPoints(double[,] coordinates, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(coordinates);
        int n = coordinates.GetLength(0);
        int k = coordinates.GetLength(1);
        if (n == 0 || k == 0)
        {
            throw new ArgumentException($"Scattered landscapes need at least one point and one dimension; got {n}×{k} coordinates.", nameof(coordinates));
        }

        if (values.Length != n)
        {
            throw new ArgumentException($"Got {values.Length} values for {n} points.", nameof(values));
        }

        var flat = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < k; d++)
            {
                double c = coordinates[i, d];
                if (!double.IsFinite(c))
                {
                    throw new ArgumentException($"Coordinate {d} of point {i} is {c}; coordinates must be finite.", nameof(coordinates));
                }

                flat[(i * k) + d] = c;
            }
        }

        return new Landscape(values.ToArray(), [], [], flat, k);
    }

    /// <summary>Value at a grid index (one entry per axis).</summary>
    /// <exception cref="InvalidOperationException">The landscape is not a grid.</exception>
    /// <exception cref="ArgumentException">Wrong number of indices, or one out of range.</exception>
    public double GetValue(params ReadOnlySpan<int> gridIndex) => _values[FlatIndex(gridIndex)];

    /// <summary>Flat vertex index of a grid index.</summary>
    /// <inheritdoc cref="GetValue" />
    public int FlatIndex(params ReadOnlySpan<int> gridIndex)
    {
        if (!IsGrid)
        {
            throw new InvalidOperationException("Grid indices exist only for grid landscapes.");
        }

        if (gridIndex.Length != _shape.Length)
        {
            throw new ArgumentException($"Expected {_shape.Length} indices, got {gridIndex.Length}.", nameof(gridIndex));
        }

        int flat = 0;
        for (int d = 0; d < _shape.Length; d++)
        {
            if ((uint)gridIndex[d] >= (uint)_shape[d])
            {
                throw new ArgumentException($"Index {gridIndex[d]} on axis {d} is outside [0, {_shape[d]}).", nameof(gridIndex));
            }

            flat = (flat * _shape[d]) + gridIndex[d];
        }

        return flat;
    }

    /// <summary>Writes the grid index of <paramref name="vertex"/> into <paramref name="destination"/> (one entry per axis).</summary>
    /// <exception cref="InvalidOperationException">The landscape is not a grid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vertex"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Dimension"/>.</exception>
    public void GetGridIndex(int vertex, Span<int> destination)
    {
        if (!IsGrid)
        {
            throw new InvalidOperationException("Grid indices exist only for grid landscapes.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(vertex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(vertex, Count);
        if (destination.Length < _shape.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} entries; {_shape.Length} are needed.", nameof(destination));
        }

        int rest = vertex;
        for (int d = _shape.Length - 1; d >= 0; d--)
        {
            destination[d] = rest % _shape[d];
            rest /= _shape[d];
        }
    }

    /// <summary>Writes the subspace coordinates of <paramref name="vertex"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vertex"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Dimension"/>.</exception>
    public void GetCoordinates(int vertex, Span<double> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vertex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(vertex, Count);
        if (destination.Length < Dimension)
        {
            throw new ArgumentException($"Destination holds {destination.Length} entries; {Dimension} are needed.", nameof(destination));
        }

        if (_pointCoordinates is not null)
        {
            _pointCoordinates.AsSpan(vertex * Dimension, Dimension).CopyTo(destination);
            return;
        }

        Span<int> index = stackalloc int[Dimension];
        GetGridIndex(vertex, index);
        for (int d = 0; d < Dimension; d++)
        {
            destination[d] = _axes[d][index[d]];
        }
    }

    /// <summary>Every vertex's coordinates, point-major (n × <see cref="Dimension"/>): the input of the point-cloud graph builders.</summary>
    internal double[] FlatCoordinates()
    {
        if (_pointCoordinates is not null)
        {
            return (double[])_pointCoordinates.Clone();
        }

        var coordinates = new double[Count * Dimension];
        for (int v = 0; v < Count; v++)
        {
            GetCoordinates(v, coordinates.AsSpan(v * Dimension, Dimension));
        }

        return coordinates;
    }

    /// <summary>Subspace coordinates of <paramref name="vertex"/> as a new array.</summary>
    /// <inheritdoc cref="GetCoordinates(int, Span{double})" />
    public double[] GetCoordinates(int vertex)
    {
        var result = new double[Dimension];
        GetCoordinates(vertex, result);
        return result;
    }

    /// <summary>Where a vertex is, for messages: <c>grid index (i, j)</c> or <c>point 17</c>.</summary>
    public string DescribeVertex(int vertex)
    {
        if (!IsGrid)
        {
            return string.Create(CultureInfo.InvariantCulture, $"point {vertex}");
        }

        Span<int> index = stackalloc int[Dimension];
        GetGridIndex(vertex, index);
        var text = new StringBuilder("grid index (");
        for (int d = 0; d < index.Length; d++)
        {
            text.Append(d == 0 ? string.Empty : ", ").Append(index[d].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(')').ToString();
    }

    /// <inheritdoc />
    public override string ToString() => IsGrid
        ? $"Grid landscape {string.Join('×', _shape)} ({Count} values)"
        : $"Scattered landscape of {Count} points in {Dimension}-D";

    private static double[] Flatten<T>(T[,] values)
        where T : INumberBase<T>
    {
        var flat = new double[values.Length];
        int k = 0;
        foreach (T v in values)
        {
            flat[k++] = double.CreateChecked(v);
        }

        return flat;
    }

    private static LandscapeAxis[]? AxesOrNull(LandscapeAxis? first, LandscapeAxis? second)
        => first is null && second is null ? null : [first!, second!];

    /// <summary>
    /// As <see cref="FromGrid(ReadOnlySpan{double}, ReadOnlySpan{int}, IReadOnlyList{LandscapeAxis}?)"/>, taking the
    /// array without a copy: for readers that made it and hand it over (a 2048² grid's copy is 32 MB of fresh pages).
    /// </summary>
    internal static Landscape FromGridTakingValues(double[] values, int[] shape, IReadOnlyList<LandscapeAxis>? axes = null)
        => Create(values, shape, axes, nameof(values));

    private static Landscape Create(double[] values, int[] shape, IReadOnlyList<LandscapeAxis?>? axes, string valuesName)
    {
        long count = Checked(shape, nameof(shape));
        if (count != values.Length)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {count} values but {values.Length} were given.", valuesName);
        }

        if (axes is not null && axes.Count != shape.Length)
        {
            throw new ArgumentException($"Got {axes.Count} axes for a {shape.Length}-D grid.", nameof(axes));
        }

        var resolved = new LandscapeAxis[shape.Length];
        for (int d = 0; d < shape.Length; d++)
        {
            LandscapeAxis? axis = axes?[d];
            if (axis is not null && axis.Count != shape[d])
            {
                throw new ArgumentException($"Axis {d} ('{axis.Name}') has {axis.Count} coordinates but the grid has {shape[d]} samples along it.", nameof(axes));
            }

            resolved[d] = axis ?? LandscapeAxis.Indices($"axis{d}", shape[d]);
        }

        return new Landscape(values, shape, resolved, null, shape.Length);
    }

    private static long Checked(int[] shape, string name)
    {
        if (shape.Length == 0)
        {
            throw new ArgumentException("A grid needs at least one axis.", name);
        }

        long count = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 1)
            {
                throw new ArgumentException($"Axis {d} has {shape[d]} samples; every axis needs at least one.", name);
            }

            count *= shape[d];
            if (count > Array.MaxLength)
            {
                throw new ArgumentException($"A grid of shape ({string.Join(", ", shape)}) has more values than an array can hold.", name);
            }
        }

        return count;
    }
}
