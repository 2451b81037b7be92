using System.Runtime.CompilerServices;

namespace LossLandscape.Topology.Graphs;

/// <summary>
/// The neighbourhood structure of a regular grid, kept implicit: a shape and a stencil of offsets. Costs no
/// memory per vertex, which is why grid graphs are not stored as explicit adjacency lists.
/// </summary>
public sealed class GridTopology
{
    private readonly int[] _shape;
    private readonly int[] _strides;

    // Stencil: for entry s, the per-axis deltas _deltas[s * k + d] and the flat offset _flatOffsets[s].
    private readonly int[] _deltas;
    private readonly int[] _flatOffsets;

    /// <summary>Creates the topology of a grid of the given shape.</summary>
    /// <param name="shape">Samples per axis; at least one axis, each at least 1.</param>
    /// <param name="connectivity">Which neighbours are joined.</param>
    /// <exception cref="ArgumentException">The shape is empty or has an entry below 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connectivity"/> is not defined.</exception>
    public GridTopology(ReadOnlySpan<int> shape, GridConnectivity connectivity)
    {
        if (shape.Length == 0)
        {
            throw new ArgumentException("A grid needs at least one axis.", nameof(shape));
        }

        if (shape.Length > 16)
        {
            throw new ArgumentException($"Grids of {shape.Length} dimensions are not supported (at most 16).", nameof(shape));
        }

        if (!Enum.IsDefined(connectivity))
        {
            throw new ArgumentOutOfRangeException(nameof(connectivity), connectivity, "Unknown grid connectivity.");
        }

        _shape = shape.ToArray();
        _strides = new int[_shape.Length];
        long count = 1;
        for (int d = _shape.Length - 1; d >= 0; d--)
        {
            if (_shape[d] < 1)
            {
                throw new ArgumentException($"Axis {d} has {_shape[d]} samples; every axis needs at least one.", nameof(shape));
            }

            _strides[d] = (int)Math.Min(count, int.MaxValue);
            count *= _shape[d];
            if (count > Array.MaxLength)
            {
                throw new ArgumentException("The grid has more vertices than an array can hold.", nameof(shape));
            }
        }

        VertexCount = (int)count;
        Connectivity = connectivity;
        _deltas = BuildStencil(_shape.Length, connectivity);
        StencilSize = _deltas.Length / _shape.Length;
        _flatOffsets = new int[StencilSize];
        for (int s = 0; s < StencilSize; s++)
        {
            for (int d = 0; d < _shape.Length; d++)
            {
                _flatOffsets[s] += _deltas[(s * _shape.Length) + d] * _strides[d];
            }
        }
    }

    /// <summary>Samples per axis.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of axes.</summary>
    public int Dimension => _shape.Length;

    /// <summary>Number of vertices (product of the shape).</summary>
    public int VertexCount { get; }

    /// <summary>The connectivity this topology was built with.</summary>
    public GridConnectivity Connectivity { get; }

    /// <summary>Number of neighbours of an interior vertex.</summary>
    public int StencilSize { get; }

    /// <summary>Per-axis deltas of stencil entry <paramref name="entry"/> (length <see cref="Dimension"/>).</summary>
    public ReadOnlySpan<int> StencilDeltas(int entry) => _deltas.AsSpan(entry * Dimension, Dimension);

    internal ReadOnlySpan<int> FlatOffsets => _flatOffsets;

    /// <summary>Number of undirected edges.</summary>
    public long EdgeCount
    {
        get
        {
            long twice = 0;
            for (int s = 0; s < StencilSize; s++)
            {
                long edges = 1;
                for (int d = 0; d < Dimension; d++)
                {
                    edges *= Math.Max(0, _shape[d] - Math.Abs(_deltas[(s * Dimension) + d]));
                }

                twice += edges;
            }

            return twice / 2;
        }
    }

    /// <summary>
    /// Writes the neighbours of <paramref name="vertex"/> into <paramref name="destination"/> in stencil order and
    /// returns how many there are (fewer than <see cref="StencilSize"/> on the boundary).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vertex"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="StencilSize"/>.</exception>
    public int GetNeighbors(int vertex, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vertex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(vertex, VertexCount);
        if (destination.Length < StencilSize)
        {
            throw new ArgumentException($"Destination holds {destination.Length} entries; up to {StencilSize} are needed.", nameof(destination));
        }

        Span<int> index = stackalloc int[Dimension];
        Decompose(vertex, index);
        return NeighborsOf(vertex, index, destination);
    }

    /// <summary>Grid index of a flat vertex index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Decompose(int vertex, Span<int> index)
    {
        int rest = vertex;
        for (int d = Dimension - 1; d >= 0; d--)
        {
            int q = rest / _shape[d];
            index[d] = rest - (q * _shape[d]);
            rest = q;
        }
    }

    /// <summary>Neighbours of a vertex whose grid index is already known.</summary>
    internal int NeighborsOf(int vertex, ReadOnlySpan<int> index, Span<int> destination)
    {
        int k = Dimension;
        int count = 0;
        for (int s = 0; s < _flatOffsets.Length; s++)
        {
            bool inside = true;
            for (int d = 0; d < k; d++)
            {
                int c = index[d] + _deltas[(s * k) + d];
                if ((uint)c >= (uint)_shape[d])
                {
                    inside = false;
                    break;
                }
            }

            if (inside)
            {
                destination[count++] = vertex + _flatOffsets[s];
            }
        }

        return count;
    }

    private static int[] BuildStencil(int k, GridConnectivity connectivity)
    {
        var deltas = new List<int>();
        switch (connectivity)
        {
            case GridConnectivity.Axis:
                for (int d = 0; d < k; d++)
                {
                    foreach (int sign in (ReadOnlySpan<int>)[-1, 1])
                    {
                        for (int e = 0; e < k; e++)
                        {
                            deltas.Add(e == d ? sign : 0);
                        }
                    }
                }

                break;
            case GridConnectivity.Full:
                int total = 1;
                for (int d = 0; d < k; d++)
                {
                    total *= 3;
                }

                for (int code = 0; code < total; code++)
                {
                    if (code == (total - 1) / 2)
                    {
                        continue; // the centre itself
                    }

                    int rest = code;
                    int[] delta = new int[k];
                    for (int d = k - 1; d >= 0; d--)
                    {
                        delta[d] = (rest % 3) - 1;
                        rest /= 3;
                    }

                    deltas.AddRange(delta);
                }

                break;
            default:
                for (int sign = 1; sign >= -1; sign -= 2)
                {
                    for (int mask = 1; mask < (1 << k); mask++)
                    {
                        for (int d = 0; d < k; d++)
                        {
                            int bit = (mask >> (k - 1 - d)) & 1;
                            int orientation = d == k - 1 ? 1 : -1;
                            deltas.Add(sign * orientation * bit);
                        }
                    }
                }

                break;
        }

        return deltas.ToArray();
    }
}
