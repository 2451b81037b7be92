namespace LossLandscape.Topology.Torch.Analysis;

/// <summary>Which subspace a landscape is sampled in.</summary>
public enum DirectionKind
{
    /// <summary>Seeded Gaussian directions, filter-normalised as Li et al. (2018) do.</summary>
    Random,

    /// <summary>The top Hessian eigenvectors at the model's parameters (the paper's second kind).</summary>
    Hessian,
}

/// <summary>How Hessian eigenvectors (unit vectors) are scaled before a landscape is sampled along them.</summary>
public enum HessianDirectionScaling
{
    /// <summary>Unit vectors, as Lanczos returns them: a grid of ±1 moves the parameters by at most √k.</summary>
    Unit,

    /// <summary>
    /// Scaled to ‖θ‖, the norm of the model's parameters: still eigenvectors, and of the same overall length as
    /// filter-normalised random directions, so one grid range means comparable steps for both kinds (the default).
    /// </summary>
    ParameterNorm,

    /// <summary>Filter-normalised like the random directions (each filter scaled to its weights' norm); no longer exact eigenvectors.</summary>
    FilterNormalized,
}
