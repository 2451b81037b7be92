namespace LossLandscape.Topology.Spectra;

/// <summary>
/// The one Lanczos recurrence behind the top eigenpairs and stochastic Lanczos quadrature: from q₀, each step
/// takes w = A·qⱼ, αⱼ = ⟨w, qⱼ⟩, subtracts αⱼqⱼ and βⱼ₋₁qⱼ₋₁, orthogonalises w against every basis vector
/// (Gram–Schmidt, once or twice); the next basis vector is w / (‖w‖ + ε).
/// </summary>
/// <remarks>
/// With ε = 0, two passes and β = ‖w‖ after them, this is Lanczos with full reorthogonalisation ("twice is enough").
/// With one pass, PyHessian's ε = 1e-6 and β = ‖w‖ taken before the pass, it is PyHessian's <c>density</c> recurrence
/// number for number.
/// </remarks>
internal sealed class LanczosRecurrence
{
    private readonly ISymmetricOperator _operator;
    private readonly int _passes;
    private readonly double _epsilon;
    private readonly bool _betaBeforePasses;
    private double _residualNorm;
    private readonly List<double[]> _basis = [];
    private readonly List<double> _alpha = [];
    private readonly List<double> _beta = [];
    private double[] _residual;

    public LanczosRecurrence(ISymmetricOperator a, ReadOnlySpan<double> start, int reorthogonalizationPasses, double epsilon, bool betaBeforePasses = false)
    {
        _betaBeforePasses = betaBeforePasses;
        _operator = a;
        _passes = reorthogonalizationPasses;
        _epsilon = epsilon;
        double[] q = start.ToArray();
        SpectralVectors.Normalize(q, epsilon);
        _basis.Add(q);
        _residual = new double[a.Dimension];
    }

    /// <summary>The basis vectors q₀, q₁, …; one more than the steps taken only after <see cref="Extend"/>.</summary>
    public IReadOnlyList<double[]> Basis => _basis;

    /// <summary>The diagonal α of the tridiagonal matrix, one per step.</summary>
    public IReadOnlyList<double> Alpha => _alpha;

    /// <summary>The off-diagonal β between kept basis vectors.</summary>
    public IReadOnlyList<double> Beta => _beta;

    /// <summary>The β the next basis vector would get: ‖w‖ after the last step's passes (or before them).</summary>
    public double NextBeta { get; private set; }

    /// <summary>One product with the newest basis vector.</summary>
    public void Step()
    {
        double[] q = _basis[^1];
        double[] w = _residual;
        _operator.Multiply(q, w);
        double alpha = SpectralVectors.Dot(w, q);
        _alpha.Add(alpha);
        SpectralVectors.Axpy(-alpha, q, w);
        if (_basis.Count > 1)
        {
            SpectralVectors.Axpy(-_beta[^1], _basis[^2], w);
        }

        double before = _betaBeforePasses ? SpectralVectors.Norm(w) : 0; // only PyHessian's variant takes β here
        for (int pass = 0; pass < _passes; pass++)
        {
            SpectralVectors.Orthogonalize(w, _basis);
        }

        _residualNorm = SpectralVectors.Norm(w);
        NextBeta = _betaBeforePasses ? before : _residualNorm;
    }

    /// <summary>Keeps the last residual as the next basis vector.</summary>
    public void Extend()
    {
        _beta.Add(NextBeta);
        double[] q = _residual;
        SpectralVectors.Scale(q, 1 / (_residualNorm + _epsilon));
        _basis.Add(q);
        _residual = new double[_operator.Dimension];
    }
}
