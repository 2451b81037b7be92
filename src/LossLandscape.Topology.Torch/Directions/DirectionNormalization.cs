namespace LossLandscape.Topology.Torch.Directions;

/// <summary>How a random direction is scaled to the model's weights (Li et al. 2018).</summary>
public enum DirectionNormalization
{
    /// <summary>
    /// Each filter (each slice along a weight's first, output dimension: a row of a linear layer, an output
    /// channel of a convolution) is rescaled to the norm of the same slice of the weights. Li et al.'s filter
    /// normalisation, which makes landscapes of differently scaled networks comparable.
    /// </summary>
    Filter,

    /// <summary>Each parameter tensor as a whole is rescaled to the norm of the weights of that tensor.</summary>
    Layer,

    /// <summary>The raw Gaussian vector.</summary>
    None,
}
