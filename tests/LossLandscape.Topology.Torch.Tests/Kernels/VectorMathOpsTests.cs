using LossLandscape.Topology.Torch.Kernels;

namespace LossLandscape.Topology.Torch.Tests.Kernels;

/// <summary>
/// The kernels' activations against Math, at every vector width on every CPU: a width the CPU does not accelerate
/// runs through .NET's software fallback, with the same arithmetic.
/// </summary>
public class VectorMathOpsTests
{
    [Test]
    public void CanMatchMathTanhExpAndSigmoidInDoubleOnEveryScale([Values(128, 256, 512)] int bits)
    {
        var random = new Random(1);
        double worstTanh = 0, worstExp = 0, worstSigmoid = 0;
        foreach (double scale in new[] { 1e-300, 1e-12, 1e-4, 0.1, 1, 3, 20, 800 })
        {
            double[] x = Enumerable.Range(0, 32000).Select(_ => (random.NextDouble() - 0.5) * 2 * scale).ToArray();
            double[] tanh = Apply(bits, x, "tanh");
            double[] exp = Apply(bits, x, "exp");
            double[] sigmoid = Apply(bits, x, "sigmoid");
            for (int q = 0; q < x.Length; q++)
            {
                worstTanh = Math.Max(worstTanh, Relative(tanh[q], Math.Tanh(x[q])));
                double logistic = 1 / (1 + Math.Exp(-x[q]));
                worstSigmoid = Math.Max(worstSigmoid, logistic < 1e-300 ? Math.Abs(sigmoid[q] - logistic) : Relative(sigmoid[q], logistic));
                if (Math.Abs(x[q]) <= 708)
                {
                    worstExp = Math.Max(worstExp, Relative(exp[q], Math.Exp(x[q])));
                }
            }
        }

        TestContext.Out.WriteLine($"{bits} bits, worst relative error: tanh {worstTanh:E2}, exp {worstExp:E2}, sigmoid {worstSigmoid:E2}");
        Assert.That(worstTanh, Is.LessThan(1e-15));
        Assert.That(worstExp, Is.LessThan(1e-15));
        Assert.That(worstSigmoid, Is.LessThan(1e-15));
    }

    [Test]
    public void CanMatchMathTanhInSingle([Values(128, 256, 512)] int bits)
    {
        var random = new Random(2);
        double worst = 0;
        foreach (float scale in new[] { 1e-30f, 1e-5f, 0.3f, 2f, 30f })
        {
            float[] x = Enumerable.Range(0, 64000).Select(_ => (float)((random.NextDouble() - 0.5) * 2 * scale)).ToArray();
            float[] tanh = bits switch
            {
                128 => Run<float, Simd128<float>>(x, SingleOps.Tanh),
                256 => Run<float, Simd256<float>>(x, SingleOps.Tanh),
                _ => Run<float, Simd512<float>>(x, SingleOps.Tanh),
            };
            for (int q = 0; q < x.Length; q++)
            {
                worst = Math.Max(worst, Relative(tanh[q], Math.Tanh(x[q])));
            }
        }

        TestContext.Out.WriteLine($"{bits} bits, worst relative error of float tanh: {worst:E2}");
        Assert.That(worst, Is.LessThan(4e-7), "a few float ulps");
    }

    [Test]
    public void CanKeepTheSpecialValuesOfTanh([Values(128, 256, 512)] int bits)
    {
        double[] t = Apply(bits, [0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e308, -1e-310, 30], "tanh");
        Assert.That(double.IsNegative(t[1]) && t[1] == 0 && t[0] == 0 && !double.IsNegative(t[0]), Is.True, "signed zeros");
        Assert.That(new[] { t[2], t[3], t[5], t[7] }, Is.EqualTo(new[] { 1.0, -1.0, 1.0, 1.0 }));
        Assert.That(double.IsNaN(t[4]), Is.True);
        Assert.That(t[6], Is.EqualTo(-1e-310), "subnormal arguments come back unchanged");
    }

    [Test]
    public void CanGiveTheSameBitsAtEveryWidth()
    {
        // Lane-wise arithmetic: the width changes how many lanes run at once, never a result.
        var random = new Random(3);
        double[] x = Enumerable.Range(0, 4096).Select(_ => (random.NextDouble() - 0.5) * 60).ToArray();
        foreach (string op in new[] { "tanh", "exp", "sigmoid" })
        {
            double[] narrow = Apply(128, x, op);
            Assert.That(Apply(256, x, op), Is.EqualTo(narrow), op);
            Assert.That(Apply(512, x, op), Is.EqualTo(narrow), op);
        }
    }

    private static double[] Apply(int bits, double[] x, string op) => bits switch
    {
        128 => Run<double, Simd128<double>>(x, v => Double(v, op)),
        256 => Run<double, Simd256<double>>(x, v => Double(v, op)),
        _ => Run<double, Simd512<double>>(x, v => Double(v, op)),
    };

    private static TVector Double<TVector>(TVector v, string op)
        where TVector : struct, ISimdVector<TVector, double>
        => op switch
        {
            "tanh" => DoubleOps.Tanh(v),
            "exp" => DoubleOps.Exp(v),
            _ => DoubleOps.Sigmoid(v),
        };

    /// <summary>Applies <paramref name="f"/> vector by vector (the input padded to whole vectors with zeros).</summary>
    private static T[] Run<T, TVector>(T[] x, Func<TVector, TVector> f)
        where T : unmanaged
        where TVector : struct, ISimdVector<TVector, T>
    {
        int count = TVector.Count;
        int padded = (x.Length + count - 1) / count * count;
        var input = new T[padded];
        var output = new T[padded];
        x.CopyTo(input, 0);
        for (int i = 0; i < padded; i += count)
        {
            f(TVector.Load(ref input[0], (nuint)i)).Store(ref output[0], (nuint)i);
        }

        return output[..x.Length];
    }

    private static double Relative(double actual, double expected)
        => expected == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / Math.Abs(expected);
}
