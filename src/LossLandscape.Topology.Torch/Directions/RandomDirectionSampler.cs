using LossLandscape.Topology.Torch.Parameters;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Directions;

/// <summary>
/// Seeded Gaussian directions, normalised to the model's weights as Li et al. (2018) do. The numbers come from
/// MathNet's xoshiro256** and polar method, so a seed gives the same directions whatever device the model lives on.
/// </summary>
public sealed class RandomDirectionSampler : IDirectionSampler
{
    /// <summary>Creates a sampler.</summary>
    /// <param name="seed">Seed of the generator.</param>
    /// <param name="options">Options; <see cref="RandomDirectionOptions.Default"/> when null.</param>
    public RandomDirectionSampler(int seed, RandomDirectionOptions? options = null)
    {
        Seed = seed;
        Options = options ?? RandomDirectionOptions.Default;
        if (!Enum.IsDefined(Options.Normalization))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.Normalization, "Unknown direction normalisation.");
        }
    }

    /// <summary>The seed.</summary>
    public int Seed { get; }

    /// <summary>The options.</summary>
    public RandomDirectionOptions Options { get; }

    /// <inheritdoc />
    public DirectionSet Sample(nn.Module model, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var layout = ParameterLayout.Of(model);
        double[] weights = ParameterLayout.Flatten(model);
        var random = new Xoshiro256StarStar(Seed, threadSafe: false);
        var directions = new double[count][];
        for (int i = 0; i < count; i++)
        {
            directions[i] = new double[layout.TotalCount];
            Normal.Samples(random, directions[i], 0, 1);
            DirectionMath.Normalize(directions[i], weights, layout, Options.Normalization, Options.IgnoreBiasAndNorm);
        }

        if (Options.Orthogonalize)
        {
            DirectionMath.Orthogonalize(directions);
        }

        string description = $"random (seed {Seed}, {Options.Normalization} normalisation{(Options.IgnoreBiasAndNorm ? ", 1-D parameters zeroed" : string.Empty)}{(Options.Orthogonalize ? ", orthogonalised" : string.Empty)})";
        return new DirectionSet(layout, directions, null, description);
    }
}
