namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>Options of <see cref="HessianAnalyzer.TopEigenpairs"/> (Lanczos); the defaults live here.</summary>
public sealed record LanczosOptions
{
    /// <summary>Seed of the Gaussian start vector.</summary>
    public long Seed { get; init; }

    /// <summary>Relative eigenvalue accuracy to stop at (estimated from residuals and gaps); 1e-8 by default.</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>Most Hessian-vector products to spend; 200 by default (never more than the dimension).</summary>
    public int MaxProducts { get; init; } = 200;

    /// <summary>A start vector (flat, any norm) instead of the seeded one.</summary>
    public double[]? StartVector { get; init; }
}

/// <summary>Options of <see cref="HessianAnalyzer.PowerIteration"/> (PyHessian's algorithm); the defaults live here.</summary>
public sealed record PowerIterationOptions
{
    /// <summary>Seed of the Gaussian start vectors.</summary>
    public long Seed { get; init; }

    /// <summary>Relative change of the Rayleigh quotient to stop at; PyHessian's 1e-3 by default.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Most iterations (products) per eigenvalue; PyHessian's 100 by default.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>
    /// ε in the normalisation v / (‖v‖ + ε): 0 (exact) by default; PyHessian uses 1e-6, which reproduces its
    /// numbers to the last digit.
    /// </summary>
    public double Epsilon { get; init; }

    /// <summary>Start vectors, one per eigenvalue, instead of seeded Gaussian ones.</summary>
    public IReadOnlyList<double[]>? StartVectors { get; init; }
}

/// <summary>Options of <see cref="HessianAnalyzer.Hutchinson"/>; the defaults live here.</summary>
public sealed record HutchinsonOptions
{
    /// <summary>Seed of the Rademacher probes.</summary>
    public long Seed { get; init; }

    /// <summary>Probes (= products) at most; 100 by default.</summary>
    public int Probes { get; init; } = 100;

    /// <summary>PyHessian's early stop (relative change of the running mean); null, use every probe, by default.</summary>
    public double? Tolerance { get; init; }

    /// <summary>Probe vectors to use instead of seeded Rademacher ones.</summary>
    public IReadOnlyList<double[]>? ProbeVectors { get; init; }
}

/// <summary>Options of <see cref="HessianAnalyzer.SpectralDensity"/> (stochastic Lanczos quadrature); the defaults live here.</summary>
public sealed record SpectralDensityOptions
{
    /// <summary>Seed of the Rademacher start vectors.</summary>
    public long Seed { get; init; }

    /// <summary>Lanczos steps m per run; PyHessian's 100 by default.</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Runs n_v (start vectors); 1 by default.</summary>
    public int Runs { get; init; } = 1;

    /// <summary>ε in the normalisation v / (‖v‖ + ε): 0 by default, PyHessian's 1e-6 as an option.</summary>
    public double Epsilon { get; init; }

    /// <summary>Start vectors to use instead of seeded Rademacher ones (one per run).</summary>
    public IReadOnlyList<double[]>? StartVectors { get; init; }
}
