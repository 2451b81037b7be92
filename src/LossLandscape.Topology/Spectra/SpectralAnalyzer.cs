namespace LossLandscape.Topology.Spectra;

/// <summary>
/// Spectral numbers of a symmetric operator known through products: top eigenpairs (Lanczos, or PyHessian's power
/// iteration), the trace (Hutchinson, Hutch++) and the eigenvalue density (stochastic Lanczos quadrature). Every
/// result reports the products it spent; every method takes its options (with a seed), a progress sink and a
/// cancellation token. For a loss's Hessian, the Torch package's <c>HessianAnalyzer</c> supplies the operator.
/// </summary>
/// <remarks>
/// Every method throws <see cref="NotFiniteNumberException"/> when a product is NaN or infinite, naming the product,
/// instead of returning NaN or failing inside the eigen-solver.
/// </remarks>
/// <example>
/// <code>
/// var analyzer = new SpectralAnalyzer(new DenseSymmetricOperator(matrix));
/// Eigenpairs top = analyzer.TopEigenpairs(3);
/// TraceEstimate trace = analyzer.HutchPlusPlus();
/// </code>
/// </example>
public class SpectralAnalyzer
{
    private readonly ISymmetricOperator _checked;

    /// <summary>Analyses <paramref name="op"/>.</summary>
    public SpectralAnalyzer(ISymmetricOperator op)
    {
        ArgumentNullException.ThrowIfNull(op);
        Operator = op;
        _checked = new FiniteProductOperator(op);
    }

    /// <summary>The operator whose products the methods spend.</summary>
    public ISymmetricOperator Operator { get; }

    /// <summary>The <paramref name="count"/> largest eigenvalues and their eigenvectors by Lanczos with full reorthogonalisation.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not in [1, dimension], or an option is out of range.</exception>
    public Eigenpairs TopEigenpairs(int count = 1, LanczosOptions? options = null, IProgress<OperatorProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= LanczosOptions.Default;
        CheckCount(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxProducts, 1, nameof(options));
        if (!(options.Tolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Tolerance, "The tolerance must be 0 or more.");
        }

        double[] start = options.StartVector?.ToArray() ?? new RandomVectors(options.Seed).Gaussian(Operator.Dimension);
        SpectralVectors.CheckLength(start, Operator.Dimension, nameof(options));
        return Lanczos.TopEigenpairs(_checked, count, options.Tolerance, options.MaxProducts, start, progress, cancellationToken);
    }

    /// <summary>
    /// The <paramref name="count"/> most negative eigenvalues (ascending) and their eigenvectors: Lanczos on −A. A
    /// Hessian's negative eigenvalues say how far a point is from a minimum (a saddle's descent directions).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not in [1, dimension], or an option is out of range.</exception>
    public Eigenpairs BottomEigenpairs(int count = 1, LanczosOptions? options = null, IProgress<OperatorProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Eigenpairs negated = new SpectralAnalyzer(SymmetricOperators.Negated(Operator)).TopEigenpairs(count, options, progress, cancellationToken);
        return negated with { Eigenvalues = [.. negated.Eigenvalues.Select(e => -e)] };
    }

    /// <summary>The <paramref name="count"/> largest eigenvalues by PyHessian's power iteration with deflation.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not in [1, dimension], or an option is out of range.</exception>
    /// <exception cref="ArgumentException">The start vectors are not one per eigenvalue, or not of the operator's dimension.</exception>
    public Eigenpairs PowerIteration(int count = 1, PowerIterationOptions? options = null, IProgress<OperatorProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= PowerIterationOptions.Default;
        CheckCount(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options));
        var random = new RandomVectors(options.Seed);
        double[][] starts = options.StartVectors?.Select(v => v.ToArray()).ToArray()
            ?? Enumerable.Range(0, count).Select(_ => random.Gaussian(Operator.Dimension)).ToArray();
        if (starts.Length != count)
        {
            throw new ArgumentException($"Got {starts.Length} start vectors for {count} eigenvalues.", nameof(options));
        }

        SpectralVectors.CheckLengths(starts, Operator.Dimension, nameof(options));
        return Spectra.PowerIteration.Run(_checked, starts, options.Tolerance, options.MaxIterations, options.Epsilon, progress, cancellationToken);
    }

    /// <summary>The trace by Hutchinson's estimator with Rademacher probes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one probe.</exception>
    public TraceEstimate Hutchinson(HutchinsonOptions? options = null, IProgress<OperatorProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= HutchinsonOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Probes, 1, nameof(options));
        if (options.ProbeVectors is not null)
        {
            SpectralVectors.CheckLengths(options.ProbeVectors, Operator.Dimension, nameof(options));
        }

        int budget = Math.Min(options.Probes, options.ProbeVectors?.Count ?? int.MaxValue);
        return TraceEstimators.Hutchinson(_checked, Probes(options.Seed, options.ProbeVectors), budget, options.Tolerance, progress, cancellationToken);
    }

    /// <summary>The trace by Hutch++.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 3 products.</exception>
    public TraceEstimate HutchPlusPlus(HutchPlusPlusOptions? options = null, IProgress<OperatorProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= HutchPlusPlusOptions.Default;
        if (options.Products < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Products, "Hutch++ needs at least 3 products.");
        }

        return TraceEstimators.HutchPlusPlus(_checked, Probes(options.Seed, null), options.Products, progress, cancellationToken);
    }

    /// <summary>
    /// The trace by XTrace (Epperly, Tropp and Webber 2024): Hutch++'s split into a sketched part and a probed
    /// remainder, made exchangeable so that every test vector serves both; for the same products its error is
    /// usually several times smaller when the spectrum decays. <see cref="TraceEstimate.Samples"/> holds the
    /// leave-one-out estimates whose mean it is.
    /// </summary>
    /// <remarks>
    /// Where the spectrum stays flat beyond the sketch, no estimator of this kind gains much: with the top eigenvalues
    /// known exactly and the rest sampled, the error in expectation is still 0.80 of Hutch++'s on the convection
    /// PINN's Hessian at 100 products (0.38 once trained), and XTrace reaches 0.77 (0.47); see
    /// <c>benchmarks/README.md</c>, "Trace estimators".
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 4 products, or half of them not below the dimension.</exception>
    public TraceEstimate XTrace(XTraceOptions? options = null, IProgress<OperatorProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= XTraceOptions.Default;
        if (options.Products < 4 || options.Products / 2 >= Operator.Dimension)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Products, $"XTrace needs at least 4 products, and fewer than {2 * Operator.Dimension} for this {Operator.Dimension}-dimensional operator (half of them sketch its range).");
        }

        var random = new RandomVectors(options.Seed);
        return TraceEstimators.XTrace(_checked, () => random.Sphere(Operator.Dimension), options.Products, progress, cancellationToken);
    }

    /// <summary>
    /// The trace of a positive semi-definite operator (a Gauss–Newton matrix, an empirical Fisher) by XNysTrace
    /// (Epperly, Tropp and Webber 2024): every product sketches, and the Nyström approximation of the sketch is made
    /// exchangeable, so for the same products it is usually more accurate than XTrace on such operators. On an
    /// indefinite operator (a Hessian) it refuses to run rather than return a wrong number.
    /// <see cref="TraceEstimate.Samples"/> holds the leave-one-out estimates whose mean it is.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 products, or not fewer than the dimension.</exception>
    /// <exception cref="ArgumentException">The operator is not positive semi-definite (its sketch's core is not positive definite).</exception>
    public TraceEstimate XNysTrace(XNysTraceOptions? options = null, IProgress<OperatorProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= XNysTraceOptions.Default;
        if (options.Products < 2 || options.Products >= Operator.Dimension)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Products, $"XNysTrace needs at least 2 products, and fewer than the operator's dimension {Operator.Dimension}.");
        }

        var random = new RandomVectors(options.Seed);
        return TraceEstimators.XNysTrace(_checked, () => random.Gaussian(Operator.Dimension), options.Products, progress, cancellationToken);
    }

    /// <summary>The eigenvalue spectral density by stochastic Lanczos quadrature.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one step or run.</exception>
    public SpectralDensity SpectralDensity(SpectralDensityOptions? options = null, IProgress<OperatorProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= SpectralDensityOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Steps, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Runs, 1, nameof(options));
        var random = new RandomVectors(options.Seed);
        double[][] starts = options.StartVectors?.Select(v => v.ToArray()).ToArray()
            ?? Enumerable.Range(0, options.Runs).Select(_ => random.Rademacher(Operator.Dimension)).ToArray();
        SpectralVectors.CheckLengths(starts, Operator.Dimension, nameof(options));
        return StochasticLanczosQuadrature.Run(_checked, options.Steps, starts, options.Epsilon, progress, cancellationToken);
    }

    private Func<double[]> Probes(int seed, IReadOnlyList<IReadOnlyList<double>>? given)
    {
        if (given is not null)
        {
            int next = 0;
            return () => given[next++].ToArray();
        }

        var random = new RandomVectors(seed);
        return () => random.Rademacher(Operator.Dimension);
    }

    private void CheckCount(int count)
    {
        if (count < 1 || count > Operator.Dimension)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Ask for between 1 and {Operator.Dimension} eigenvalues.");
        }
    }
}
