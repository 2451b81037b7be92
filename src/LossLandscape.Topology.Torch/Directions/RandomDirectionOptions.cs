namespace LossLandscape.Topology.Torch.Directions;

/// <summary>Options of <see cref="RandomDirectionSampler"/>; the defaults (Li et al.'s) live here.</summary>
public sealed record RandomDirectionOptions
{
    /// <summary>The defaults: filter normalisation, 1-D parameters zeroed, no orthogonalisation.</summary>
    public static RandomDirectionOptions Default { get; } = new();

    /// <summary>How each direction is scaled to the weights; <see cref="DirectionNormalization.Filter"/> by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="DirectionNormalization"/>.</exception>
    public DirectionNormalization Normalization
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Normalization), value, "Unknown direction normalization.");
    } = DirectionNormalization.Filter;

    /// <summary>
    /// Zero the direction on 1-D parameters (biases, normalisation layers), as Li et al.'s <c>ignore=biasbn</c>;
    /// true by default. When false and a normalisation is chosen, a 1-D parameter's direction is a copy of the
    /// parameter itself, as in Li et al.'s code.
    /// </summary>
    public bool IgnoreBiasAndNorm { get; init; } = true;

    /// <summary>
    /// Make the directions mutually orthogonal by Gram–Schmidt, each keeping the norm it had after
    /// normalisation (so the scale of the axes stays that of the weights). False by default: in high
    /// dimension random directions are already nearly orthogonal.
    /// </summary>
    public bool Orthogonalize { get; init; }
}
