using LossLandscape.Topology.Benchmarks.Sampling;
using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Torch.Hessian;

namespace LossLandscape.Topology.Benchmarks.Hessian;

/// <summary>
/// XTrace and XNysTrace against Hutch++ (<c>-- traces</c>): RMS relative error over 20 seeds at 100 products (Hutch++
/// 99, in thirds), against the exact trace from one product per unit vector. The Hessians of the 337-parameter MLP,
/// of the convection PINN and of PyTorch's saved reference MLP (its 337 × 337 matrix) take XTrace, as they are
/// indefinite, the PINN also after 2,000 Adam steps (as the studies analyse it); the MLP's Gauss–Newton matrix and
/// empirical Fisher (positive semi-definite) take all three.
/// </summary>
internal static class TraceAccuracy
{
    public static void Run()
    {
        TorchSharp.torch.set_num_threads(ComputeThreads.Choose());
        foreach ((string name, Func<SamplingModels> create) in new (string, Func<SamplingModels>)[] { ("mlp-337", SamplingModels.Mlp), ("pinn-7851", () => SamplingModels.Pinn()) })
        {
            using SamplingModels models = create();
            using var hessian = new HessianOperator(models.Unbatched);
            Report($"{name} Hessian", hessian, positive: false);
            if (models.Data is { } data)
            {
                using var ggn = OutputCurvatureOperator.GaussNewton(models.Model, data.Inputs, data.Targets, OutputLoss.MeanSquaredError);
                Report($"{name} Gauss-Newton", ggn, positive: true);
                using var fisher = OutputCurvatureOperator.EmpiricalFisher(models.Model, data.Inputs, data.Targets, OutputLoss.MeanSquaredError);
                Report($"{name} empirical Fisher", fisher, positive: true);
            }
        }

        // The PINN as the studies analyse it: trained (2,000 Adam steps at 1e-3, as the main job's default), float32.
        using (SamplingModels pinn = SamplingModels.Pinn())
        {
            Train(pinn, steps: 2000);
            using var hessian = new HessianOperator(pinn.Unbatched);
            Report("pinn-7851 trained Hessian", hessian, positive: false);
        }

        string saved = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tests", "LossLandscape.Topology.Torch.Tests", "Reference", "mlp", "hessian_337x337_f64le.bin");
        if (File.Exists(saved))
        {
            double[] entries = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(saved)).ToArray();
            Report("reference-mlp saved Hessian", new DenseSymmetricOperator(entries), positive: false);
        }
        else
        {
            Console.WriteLine($"reference-mlp: skipped, {Path.GetFullPath(saved)} is not there");
        }
    }

    private static void Train(SamplingModels models, int steps)
    {
        using var optimizer = TorchSharp.torch.optim.Adam(models.Model.parameters(), lr: 1e-3);
        for (int step = 0; step < steps; step++)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            optimizer.zero_grad();
            TorchSharp.torch.Tensor loss = models.Unbatched.EnumerateTerms().Single().Compute();
            loss.backward();
            optimizer.step();
        }
    }

    private static void Report(string name, ISymmetricOperator op, bool positive)
    {
        int n = op.Dimension;
        var unit = new double[n];
        var column = new double[n];
        double exact = 0;
        var columns = new double[n][];
        for (int i = 0; i < n; i++)
        {
            unit[i] = 1;
            op.Multiply(unit, column);
            exact += column[i];
            unit[i] = 0;
            columns[i] = (double[])column.Clone();
        }

        var analyzer = new SpectralAnalyzer(op);
        double Rms(Func<int, double> estimate) => Math.Sqrt(Enumerable.Range(0, 20).Select(seed => Math.Pow((estimate(seed) - exact) / exact, 2)).Average());
        double xtrace = Rms(seed => analyzer.XTrace(new XTraceOptions { Seed = seed, Products = 100 }).Estimate);
        double hutch = Rms(seed => analyzer.HutchPlusPlus(new HutchPlusPlusOptions { Seed = seed, Products = 99 }).Estimate);
        string line = $"{name}: exact trace {exact:G8} ({n} products); RMS relative error over 20 seeds: Hutch++ (99) {hutch:G3}, XTrace (100) {xtrace:G3} (ratio {xtrace / hutch:G2})";
        if (positive)
        {
            double xnys = Rms(seed => analyzer.XNysTrace(new XNysTraceOptions { Seed = seed, Products = 100 }).Estimate);
            line += $", XNysTrace (100) {xnys:G3} (ratio {xnys / hutch:G2})";
        }

        line += $"; XTrace's floor {OracleFloor(columns, 50, exact) / hutch:G2} of Hutch++";

        Console.WriteLine(line);
    }

    /// <summary>
    /// The RMS relative error XTrace with m test vectors could reach with a perfect sketch: the top m − 1 eigenvalues
    /// (by magnitude) taken exactly, and m sphere samples of the remaining k = n − m + 1, whose variance is
    /// 2 (‖T‖²_F − (tr T)²/k) k / (k + 2) per sample for the remainder T. No estimator that spends half of its
    /// products on a sketch of rank m − 1 and the other half on m residual samples does better in expectation, so
    /// this is the lowest ratio to Hutch++ that XTrace can show on the matrix. The top eigenvalues come from a dense
    /// eigendecomposition of the symmetrised columns up to 2,000 parameters, and from Lanczos on them above.
    /// </summary>
    private static double OracleFloor(double[][] columns, int m, double exact)
    {
        int n = columns.Length;
        var matrix = new ColumnMatrix(columns);
        double squares, sum;
        if (n <= 2000)
        {
            // The remainder's sums straight from its eigenvalues: a Gauss–Newton matrix of low rank has a remainder
            // of rounding size, which subtracting from the whole would bury.
            var dense = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => matrix.Entry(i, j));
            double[] rest = [.. dense.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Select(c => c.Real).OrderByDescending(Math.Abs).Skip(m - 1)];
            squares = rest.Sum(x => x * x);
            sum = rest.Sum();
        }
        else
        {
            // Unconverged Ritz values would understate the top and so overstate the floor: refuse them.
            var analyzer = new SpectralAnalyzer(matrix);
            var options = new LanczosOptions { MaxProducts = 20 * m, Tolerance = 1e-6 };
            Eigenpairs highest = analyzer.TopEigenpairs(m - 1, options), lowest = analyzer.BottomEigenpairs(m - 1, options);
            if (!highest.Converged || !lowest.Converged)
            {
                return double.NaN;
            }

            double[] top = [.. highest.Eigenvalues.Concat(lowest.Eigenvalues).OrderByDescending(Math.Abs).Take(m - 1)];
            squares = matrix.FrobeniusSquared() - top.Sum(x => x * x);
            sum = exact - top.Sum();
        }

        int k = n - m + 1;
        double variance = Math.Max(0, 2 * (squares - (sum * sum / k)) * k / (k + 2) / m);
        return Math.Sqrt(variance) / Math.Abs(exact);
    }

    /// <summary>A matrix given by its columns (products with the unit vectors), symmetrised: (A + Aᵀ) / 2.</summary>
    private sealed class ColumnMatrix(double[][] columns) : ISymmetricOperator
    {
        public int Dimension => columns.Length;

        public double Entry(int i, int j) => (columns[j][i] + columns[i][j]) / 2;

        public double FrobeniusSquared()
        {
            double total = 0;
            for (int j = 0; j < columns.Length; j++)
            {
                for (int i = 0; i < columns.Length; i++)
                {
                    double e = Entry(i, j);
                    total += e * e;
                }
            }

            return total;
        }

        public void Multiply(ReadOnlySpan<double> vector, Span<double> result)
        {
            // Column i of a symmetric matrix is its row i: (A + Aᵀ)v / 2 = (Σⱼ vⱼ colⱼ + [colᵢ · v]ᵢ) / 2.
            double[] v = vector.ToArray();
            var output = new double[v.Length];
            Parallel.For(0, v.Length, i => output[i] = System.Numerics.Tensors.TensorPrimitives.Dot(columns[i], v) / 2);
            for (int j = 0; j < v.Length; j++)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(columns[j], v[j] / 2, output, output);
            }

            output.CopyTo(result);
        }
    }
}
