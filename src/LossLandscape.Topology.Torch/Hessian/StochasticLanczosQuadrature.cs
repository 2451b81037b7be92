namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>
/// Stochastic Lanczos quadrature as PyHessian's <c>density</c> computes it: per run, m Lanczos steps from a
/// normalised Rademacher start, each new vector orthogonalised against all earlier ones (Gram–Schmidt) and
/// normalised by ‖w‖ + ε; nodes are the eigenvalues of the tridiagonal matrix and weights the squared first
/// components of its eigenvectors.
/// </summary>
internal static class StochasticLanczosQuadrature
{
    public static SpectralDensity Run(ISymmetricOperator a, int steps, IReadOnlyList<double[]> starts, double epsilon, IProgress<HessianProgress>? progress, CancellationToken cancellationToken)
    {
        int n = a.Dimension;
        steps = Math.Min(steps, n);
        int products = 0;
        int budget = steps * starts.Count;
        var nodes = new double[starts.Count][];
        var weights = new double[starts.Count][];
        var alphas = new double[starts.Count][];
        var betas = new double[starts.Count][];
        for (int run = 0; run < starts.Count; run++)
        {
            double[] v = (double[])starts[run].Clone();
            VectorMath.Normalize(v, epsilon);
            var basis = new List<double[]> { v };
            var alpha = new List<double>();
            var beta = new List<double>();
            var w = new double[n];
            var hv = new double[n];
            for (int i = 0; i < steps; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i > 0)
                {
                    double b = VectorMath.Norm(w);
                    beta.Add(b);
                    v = (double[])w.Clone();
                    VectorMath.Orthogonalize(v, basis);
                    VectorMath.Normalize(v, epsilon);
                    basis.Add(v);
                }

                a.Multiply(v, hv);
                products++;
                progress?.Report(new HessianProgress(products, budget));
                double al = VectorMath.Dot(hv, v);
                alpha.Add(al);
                hv.CopyTo(w, 0);
                VectorMath.Axpy(-al, v, w);
                if (i > 0)
                {
                    VectorMath.Axpy(-beta[^1], basis[^2], w);
                }
            }

            (double[] values, var vectors) = Tridiagonal.Eigen(alpha, beta);
            nodes[run] = values;
            weights[run] = Enumerable.Range(0, values.Length).Select(k => vectors[0, k] * vectors[0, k]).ToArray();
            alphas[run] = alpha.ToArray();
            betas[run] = beta.ToArray();
        }

        return new SpectralDensity(nodes, weights, alphas, betas, products);
    }
}
