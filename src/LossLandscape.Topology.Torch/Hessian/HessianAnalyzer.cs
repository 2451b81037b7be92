using LossLandscape.Topology.Torch.Losses;

namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>
/// Hessian numbers of a loss (stage 6 of the pipeline): top eigenpairs (Lanczos, or PyHessian's power
/// iteration), the trace (Hutchinson, Hutch++) and the eigenvalue density (stochastic Lanczos quadrature). Every
/// result reports the Hessian-vector products it spent; every method takes a seed (in its options), a
/// cancellation token and a progress sink.
/// </summary>
/// <remarks>
/// Every method throws <see cref="NotFiniteNumberException"/> when a product is NaN or infinite (a loss that is not
/// finite at the parameters), naming the product, instead of returning NaN or failing inside the eigen-solver.
/// The model's parameters, buffers and training flags are the same afterwards, bit for bit.
/// </remarks>
public sealed class HessianAnalyzer : IDisposable
{
    private readonly HessianOperator? _owned;
    private readonly ISymmetricOperator _checked;

    /// <summary>Analyses the Hessian of <paramref name="loss"/> at the model's current parameters.</summary>
    public HessianAnalyzer(ILossFunction loss)
    {
        _owned = new HessianOperator(loss);
        Operator = _owned;
        _checked = new FiniteProductOperator(_owned);
    }

    /// <summary>Analyses any symmetric operator (e.g. an explicit matrix).</summary>
    public HessianAnalyzer(ISymmetricOperator op)
    {
        ArgumentNullException.ThrowIfNull(op);
        Operator = op;
        _checked = new FiniteProductOperator(op);
    }

    /// <summary>The operator whose products the methods spend.</summary>
    public ISymmetricOperator Operator { get; }

    /// <summary>The <paramref name="count"/> largest eigenvalues and their eigenvectors by Lanczos with full reorthogonalisation.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not in [1, dimension].</exception>
    public HessianEigenpairs TopEigenpairs(int count = 1, LanczosOptions? options = null, IProgress<HessianProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new LanczosOptions();
        CheckCount(count);
        double[] start = options.StartVector ?? new RandomVectors(options.Seed).Gaussian(Operator.Dimension);
        VectorMath.CheckLength(start, Operator.Dimension, nameof(options));
        return Lanczos.TopEigenpairs(_checked, count, options.Tolerance, options.MaxProducts, start, progress, cancellationToken);
    }

    /// <summary>The <paramref name="count"/> largest eigenvalues by PyHessian's power iteration with deflation.</summary>
    public HessianEigenpairs PowerIteration(int count = 1, PowerIterationOptions? options = null, IProgress<HessianProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new PowerIterationOptions();
        CheckCount(count);
        var random = new RandomVectors(options.Seed);
        IReadOnlyList<double[]> starts = options.StartVectors ?? Enumerable.Range(0, count).Select(_ => random.Gaussian(Operator.Dimension)).ToArray();
        if (starts.Count != count)
        {
            throw new ArgumentException($"Got {starts.Count} start vectors for {count} eigenvalues.", nameof(options));
        }

        VectorMath.CheckLengths(starts, Operator.Dimension, nameof(options));

        return Torch.Hessian.PowerIteration.Run(_checked, starts, options.Tolerance, options.MaxIterations, options.Epsilon, progress, cancellationToken);
    }

    /// <summary>The trace by Hutchinson's estimator with Rademacher probes.</summary>
    public TraceEstimate Hutchinson(HutchinsonOptions? options = null, IProgress<HessianProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new HutchinsonOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Probes, 1, nameof(options));
        if (options.ProbeVectors is not null)
        {
            VectorMath.CheckLengths(options.ProbeVectors, Operator.Dimension, nameof(options));
        }

        Func<double[]> probe = Probes(options.Seed, options.ProbeVectors);
        int budget = Math.Min(options.Probes, options.ProbeVectors?.Count ?? int.MaxValue);
        return TraceEstimators.Hutchinson(_checked, probe, budget, options.Tolerance, progress, cancellationToken);
    }

    /// <summary>The trace by Hutch++ with <paramref name="products"/> Hessian-vector products.</summary>
    public TraceEstimate HutchPlusPlus(int products = 99, long seed = 0, IProgress<HessianProgress>? progress = null, CancellationToken cancellationToken = default)
        => TraceEstimators.HutchPlusPlus(_checked, Probes(seed, null), products, progress, cancellationToken);

    /// <summary>The eigenvalue spectral density by stochastic Lanczos quadrature.</summary>
    public SpectralDensity SpectralDensity(SpectralDensityOptions? options = null, IProgress<HessianProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new SpectralDensityOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Steps, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Runs, 1, nameof(options));
        var random = new RandomVectors(options.Seed);
        IReadOnlyList<double[]> starts = options.StartVectors ?? Enumerable.Range(0, options.Runs).Select(_ => random.Rademacher(Operator.Dimension)).ToArray();
        VectorMath.CheckLengths(starts, Operator.Dimension, nameof(options));
        return StochasticLanczosQuadrature.Run(_checked, options.Steps, starts, options.Epsilon, progress, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _owned?.Dispose();

    private Func<double[]> Probes(long seed, IReadOnlyList<double[]>? given)
    {
        if (given is not null)
        {
            int next = 0;
            return () => (double[])given[next++].Clone();
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
