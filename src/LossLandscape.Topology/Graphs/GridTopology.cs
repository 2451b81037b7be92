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
    /// <exception cref="ArgumentException">
    /// The shape is empty or has an entry below 1, or the connectivity would give a vertex more than
    /// <see cref="MaxStencilSize"/> neighbours (e.g. <see cref="GridConnectivity.Full"/> beyond 8 axes of more than one
    /// sample); the message names the connectivities that work.
    /// </exception>
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
        _deltas = BuildStencil(_shape, connectivity);
        StencilSize = _deltas.Length / _shape.Length;
        Scratch = Math.Max(StencilSize, 1);
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

    /// <summary>Number of neighbours of an interior vertex (axes of one sample hold none).</summary>
    public int StencilSize { get; }

    /// <summary>A scratch length that holds any vertex's neighbours (at least 1).</summary>
    internal int Scratch { get; }

    /// <summary>Per-axis deltas of stencil entry <paramref name="entry"/> (length <see cref="Dimension"/>).</summary>
    internal ReadOnlySpan<int> StencilDeltas(int entry) => _deltas.AsSpan(entry * Dimension, Dimension);

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

    /// <summary>The most neighbours a grid vertex may have: beyond it, use another connectivity or a kNN graph.</summary>
    public const int MaxStencilSize = 8190;

    private static int[] BuildStencil(int[] shape, GridConnectivity connectivity)
    {
        // Only axes with more than one sample can hold a neighbour: the stencil is built over those alone (with 0
        // on the others). That is exactly the full stencil without the entries that never apply, in the same order,
        // so a 14-D grid of one value costs nothing, and the limit below counts only neighbours that can exist.
        int k = shape.Length;
        int[] active = Enumerable.Range(0, k).Where(d => shape[d] > 1).ToArray();
        int a = active.Length;
        long size = connectivity switch
        {
            GridConnectivity.Axis => 2L * a,
            GridConnectivity.Full => (long)Math.Pow(3, a) - 1,
            _ => 2 * ((1L << Math.Min(a, 62)) - 1),
        };
        if (size > MaxStencilSize)
        {
            throw new ArgumentException(
                $"{connectivity} connectivity on a grid with {a} axes of more than one sample joins each vertex to {size} neighbours, more than the {MaxStencilSize} this library builds. Use GridConnectivity.Axis (2k neighbours), Freudenthal (2(2^k − 1) neighbours, up to 12 such axes) or a kNN graph of the grid points.",
                "shape");
        }

        var deltas = new List<int>((int)size * k);
        var delta = new int[k];
        switch (connectivity)
        {
            case GridConnectivity.Axis:
                foreach (int d in active)
                {
                    foreach (int sign in (ReadOnlySpan<int>)[-1, 1])
                    {
                        Array.Clear(delta);
                        delta[d] = sign;
                        deltas.AddRange(delta);
                    }
                }

                break;
            case GridConnectivity.Full:
                int total = (int)size + 1;
                for (int code = 0; code < total; code++)
                {
                    if (code == (total - 1) / 2)
                    {
                        continue; // the centre itself
                    }

                    int rest = code;
                    Array.Clear(delta);
                    for (int i = a - 1; i >= 0; i--)
                    {
                        delta[active[i]] = (rest % 3) - 1;
                        rest /= 3;
                    }

                    deltas.AddRange(delta);
                }

                break;
            default:
                for (int sign = 1; sign >= -1; sign -= 2)
                {
                    for (int mask = 1; mask < (1 << a); mask++)
                    {
                        Array.Clear(delta);
                        for (int i = 0; i < a; i++)
                        {
                            int d = active[i];
                            int bit = (mask >> (a - 1 - i)) & 1;
                            int orientation = d == k - 1 ? 1 : -1;
                            delta[d] = sign * orientation * bit;
                        }

                        deltas.AddRange(delta);
                    }
                }

                break;
        }

        return deltas.ToArray();
    }
}
