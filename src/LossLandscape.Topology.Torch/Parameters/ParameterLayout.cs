using System.Collections.Immutable;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Parameters;

/// <summary>
/// The names and shapes of a model's parameters, in <c>named_parameters()</c> order, and where each one sits
/// in the flat parameter vector (each tensor row-major, one after the other, as PyTorch's
/// <c>parameters_to_vector</c> lays them out).
/// </summary>
public sealed class ParameterLayout : IEquatable<ParameterLayout>
{
    private readonly long[] _offsets;

    /// <summary>Creates a layout from names and shapes.</summary>
    /// <exception cref="ArgumentException">Counts differ, a name repeats, or a dimension is negative.</exception>
    public ParameterLayout(IReadOnlyList<string> names, IReadOnlyList<long[]> shapes)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(shapes);
        if (names.Count != shapes.Count)
        {
            throw new ArgumentException($"Got {names.Count} names for {shapes.Count} shapes.", nameof(shapes));
        }

        if (names.Distinct().Count() != names.Count)
        {
            throw new ArgumentException("Parameter names must be unique.", nameof(names));
        }

        _offsets = new long[names.Count + 1];
        for (int i = 0; i < names.Count; i++)
        {
            long count = 1;
            foreach (long d in shapes[i])
            {
                if (d < 0)
                {
                    throw new ArgumentException($"Parameter '{names[i]}' has a negative dimension.", nameof(shapes));
                }

                count *= d;
            }

            _offsets[i + 1] = _offsets[i] + count;
        }

        Names = [.. names];
        Shapes = [.. shapes.Select(s => ImmutableArray.Create(s))];
    }

    /// <summary>Parameter names, e.g. <c>0.weight</c>.</summary>
    public ImmutableArray<string> Names { get; }

    /// <summary>Parameter shapes.</summary>
    public ImmutableArray<ImmutableArray<long>> Shapes { get; }

    /// <summary>Number of parameter tensors.</summary>
    public int Count => Names.Length;

    /// <summary>Total number of scalar parameters.</summary>
    public long TotalCount => _offsets[^1];

    /// <summary>Where parameter <paramref name="index"/> starts in the flat vector.</summary>
    public long OffsetOf(int index) => _offsets[index];

    /// <summary>Number of scalars in parameter <paramref name="index"/>.</summary>
    public long CountOf(int index) => _offsets[index + 1] - _offsets[index];

    /// <summary>The layout of <paramref name="model"/>'s parameters.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public static ParameterLayout Of(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var named = model.named_parameters().ToList();
        return new ParameterLayout(named.Select(p => p.name).ToList(), named.Select(p => p.parameter.shape).ToList());
    }

    /// <summary>Throws unless <paramref name="model"/>'s parameters have exactly this layout.</summary>
    /// <exception cref="ArgumentException">Names or shapes differ; the message names the first difference.</exception>
    public void EnsureMatches(nn.Module model, string argumentName)
    {
        ParameterLayout other = Of(model);
        if (other.Count != Count)
        {
            throw new ArgumentException($"The model has {other.Count} parameter tensors; the directions were made for {Count}.", argumentName);
        }

        for (int i = 0; i < Count; i++)
        {
            if (other.Names[i] != Names[i] || !other.Shapes[i].SequenceEqual(Shapes[i]))
            {
                throw new ArgumentException(
                    $"Parameter {i} of the model is '{other.Names[i]}' [{string.Join(", ", other.Shapes[i])}] but the directions expect '{Names[i]}' [{string.Join(", ", Shapes[i])}].",
                    argumentName);
            }
        }
    }

    /// <summary>The model's parameters flattened into one vector of doubles.</summary>
    public static double[] Flatten(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = new List<double>();
        using var scope = NewDisposeScope();
        foreach ((string _, TorchSharp.Modules.Parameter p) in model.named_parameters())
        {
            result.AddRange(p.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray());
        }

        return result.ToArray();
    }

    /// <inheritdoc />
    public bool Equals(ParameterLayout? other)
        => other is not null && Names.SequenceEqual(other.Names) && Shapes.Zip(other.Shapes).All(p => p.First.SequenceEqual(p.Second));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ParameterLayout);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Count, TotalCount);

    /// <inheritdoc />
    public override string ToString() => $"{Count} parameter tensors, {TotalCount} scalars";
}
