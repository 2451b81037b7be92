namespace LossLandscape.Topology.Spectra;

/// <summary>Options of <see cref="SpectralAnalyzer.TopEigenpairs"/> (Lanczos); the defaults live here.</summary>
public sealed record LanczosOptions
{
    /// <summary>The defaults.</summary>
    public static LanczosOptions Default { get; } = new();

    /// <summary>Seed of the Gaussian start vector.</summary>
    public int Seed { get; init; }

    /// <summary>Relative eigenvalue accuracy to stop at (estimated from residuals and gaps); 1e-8 by default.</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>Most operator products to spend; 200 by default (never more than the dimension).</summary>
    public int MaxProducts { get; init; } = 200;

    /// <summary>A start vector (any norm) instead of the seeded one.</summary>
    public IReadOnlyList<double>? StartVector { get; init; }
}

/// <summary>Options of <see cref="SpectralAnalyzer.PowerIteration"/> (PyHessian's algorithm); the defaults live here.</summary>
public sealed record PowerIterationOptions
{
    /// <summary>The defaults.</summary>
    public static PowerIterationOptions Default { get; } = new();

    /// <summary>Seed of the Gaussian start vectors.</summary>
    public int Seed { get; init; }

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
    public IReadOnlyList<IReadOnlyList<double>>? StartVectors { get; init; }
}

/// <summary>Options of <see cref="SpectralAnalyzer.Hutchinson"/>; the defaults live here.</summary>
public sealed record HutchinsonOptions
{
    /// <summary>The defaults.</summary>
    public static HutchinsonOptions Default { get; } = new();

    /// <summary>Seed of the Rademacher probes.</summary>
    public int Seed { get; init; }

    /// <summary>Probes (= products) at most; 100 by default.</summary>
    public int Probes { get; init; } = 100;

    /// <summary>PyHessian's early stop (relative change of the running mean); null, use every probe, by default.</summary>
    public double? Tolerance { get; init; }

    /// <summary>Probe vectors to use instead of seeded Rademacher ones.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? ProbeVectors { get; init; }
}

/// <summary>Options of <see cref="SpectralAnalyzer.HutchPlusPlus"/>; the defaults live here.</summary>
public sealed record HutchPlusPlusOptions
{
    /// <summary>The defaults.</summary>
    public static HutchPlusPlusOptions Default { get; } = new();

    /// <summary>Seed of the Rademacher probes.</summary>
    public int Seed { get; init; }

    /// <summary>Operator products to spend (at least 3: a third sketch, a third trace exactly, a third probe); 99 by default.</summary>
    public int Products { get; init; } = 99;
}

/// <summary>Options of <see cref="SpectralAnalyzer.XTrace"/>; the defaults live here.</summary>
public sealed record XTraceOptions
{
    /// <summary>The defaults.</summary>
    public static XTraceOptions Default { get; } = new();

    /// <summary>Seed of the Rademacher test vectors.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Operator products to spend: half sketch the range with test vectors, half take the operator on the sketch's
    /// basis; at least 4, fewer than the dimension, and an odd count leaves its last product unused. 100 by default.
    /// </summary>
    public int Products { get; init; } = 100;
}

/// <summary>Options of <see cref="SpectralAnalyzer.XNysTrace"/>; the defaults live here.</summary>
public sealed record XNysTraceOptions
{
    /// <summary>The defaults.</summary>
    public static XNysTraceOptions Default { get; } = new();

    /// <summary>Seed of the Gaussian test vectors.</summary>
    public int Seed { get; init; }

    /// <summary>Operator products to spend, all of them sketching: at least 2 and below the dimension. 100 by default.</summary>
    public int Products { get; init; } = 100;
}

/// <summary>Options of <see cref="SpectralAnalyzer.SpectralDensity"/> (stochastic Lanczos quadrature); the defaults live here.</summary>
public sealed record SpectralDensityOptions
{
    /// <summary>The defaults.</summary>
    public static SpectralDensityOptions Default { get; } = new();

    /// <summary>Seed of the Rademacher start vectors.</summary>
    public int Seed { get; init; }

    /// <summary>Lanczos steps m per run; PyHessian's 100 by default.</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Runs n_v (start vectors); 1 by default.</summary>
    public int Runs { get; init; } = 1;

    /// <summary>ε in the normalisation v / (‖v‖ + ε): 0 by default, PyHessian's 1e-6 as an option.</summary>
    public double Epsilon { get; init; }

    /// <summary>Start vectors to use instead of seeded Rademacher ones (one per run).</summary>
    public IReadOnlyList<IReadOnlyList<double>>? StartVectors { get; init; }
}
