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

        (double xtraceFloor, double bestFloor, int bestRank) = OracleFloors(columns, exact);
        line += $"; floors (perfect sketch) of Hutch++: XTrace's {xtraceFloor / hutch:G2}, any deflation at 100 products {bestFloor / hutch:G2} (rank {bestRank})";

        Console.WriteLine(line);
    }

    /// <summary>
    /// The RMS relative error an estimator that deflates a k-dimensional subspace and samples the rest could reach with
    /// a perfect sketch: the top k eigenvalues (by magnitude) taken exactly, and r sphere samples of the remaining
    /// d = n − k, whose variance is 2 (‖T‖²_F − (tr T)²/d) d / (d + 2) per sample for the remainder T.
    /// <para>
    /// XTrace with m = 50 test vectors is the split k = 49, r = 50: no estimator that spends half of its products on a
    /// sketch of rank m − 1 and the other half on m residual samples does better in expectation, so this is the lowest
    /// ratio to Hutch++ XTrace can show on the matrix. The best split is the lowest over every k + r = 100, the floor
    /// of every deflation-plus-sampling estimator at 100 products (Hutch++, XTrace, block-Krylov deflation, which at
    /// best find the top k exactly).
    /// </para>
    /// The top eigenvalues come from a dense eigendecomposition of the symmetrised columns up to 2,000 parameters, and
    /// from Lanczos on them above.
    /// </summary>
    private static (double XTrace, double Best, int BestRank) OracleFloors(double[][] columns, double exact)
    {
        const int Products = 100, XTraceRank = 49;
        int n = columns.Length;
        var matrix = new ColumnMatrix(columns);
        double[] top; // by magnitude, at least Products − 1 of them
        double squares = matrix.FrobeniusSquared();
        if (n <= 2000)
        {
            var dense = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => matrix.Entry(i, j));
            top = [.. dense.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Select(c => c.Real).OrderByDescending(Math.Abs)];
        }
        else
        {
            // Unconverged Ritz values would understate the top and so overstate the floor: refuse them.
            var analyzer = new SpectralAnalyzer(matrix);
            var options = new LanczosOptions { MaxProducts = 40 * Products, Tolerance = 1e-6 };
            Eigenpairs highest = analyzer.TopEigenpairs(Products - 1, options), lowest = analyzer.BottomEigenpairs(Products - 1, options);
            if (!highest.Converged || !lowest.Converged)
            {
                return (double.NaN, double.NaN, 0);
            }

            top = [.. highest.Eigenvalues.Concat(lowest.Eigenvalues).OrderByDescending(Math.Abs).Take(Products - 1)];
        }

        double Floor(int k)
        {
            // The remainder's sums from the whole minus the top: for a low-rank matrix (Gauss–Newton) both are of
            // rounding size, and then so is the floor, which is all the comparison needs.
            double restSquares = n <= 2000 ? top.Skip(k).Sum(x => x * x) : squares - top.Take(k).Sum(x => x * x);
            double restSum = n <= 2000 ? top.Skip(k).Sum() : exact - top.Take(k).Sum();
            int d = n - k, r = Products - k;
            double variance = Math.Max(0, 2 * (restSquares - (restSum * restSum / d)) * d / (d + 2) / r);
            return Math.Sqrt(variance) / Math.Abs(exact);
        }

        int best = Enumerable.Range(1, Products - 1).MinBy(Floor);
        return (Floor(XTraceRank), Floor(best), best);
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
