using System.Runtime.Intrinsics;
using LossLandscape.Topology.Torch.Kernels;

namespace LossLandscape.Topology.Torch.Tests.Kernels;

public class VectorMathOpsTests
{
    [Test]
    public void CanMatchMathTanhExpAndSigmoidInDoubleOnEveryScale()
    {
        Assume.That(Vector512.IsHardwareAccelerated, "the kernels need 512-bit vectors");
        var random = new Random(1);
        double worstTanh = 0, worstExp = 0, worstSigmoid = 0;
        foreach (double scale in new[] { 1e-300, 1e-12, 1e-4, 0.1, 1, 3, 20, 800 })
        {
            for (int i = 0; i < 4000; i++)
            {
                double[] x = Enumerable.Range(0, 8).Select(_ => (random.NextDouble() - 0.5) * 2 * scale).ToArray();
                Vector512<double> v = Vector512.Create(x);
                Vector512<double> tanh = DoubleOps.Tanh(v);
                Vector512<double> exp = DoubleOps.Exp(v);
                Vector512<double> sigmoid = DoubleOps.Sigmoid(v);
                for (int q = 0; q < 8; q++)
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
        }

        TestContext.Out.WriteLine($"worst relative error: tanh {worstTanh:E2}, exp {worstExp:E2}, sigmoid {worstSigmoid:E2}");
        Assert.That(worstTanh, Is.LessThan(1e-15));
        Assert.That(worstExp, Is.LessThan(1e-15));
        Assert.That(worstSigmoid, Is.LessThan(1e-15));
    }

    [Test]
    public void CanMatchMathTanhInSingle()
    {
        Assume.That(Vector512.IsHardwareAccelerated, "the kernels need 512-bit vectors");
        var random = new Random(2);
        double worst = 0;
        foreach (float scale in new[] { 1e-30f, 1e-5f, 0.3f, 2f, 30f })
        {
            for (int i = 0; i < 4000; i++)
            {
                float[] x = Enumerable.Range(0, 16).Select(_ => (float)((random.NextDouble() - 0.5) * 2 * scale)).ToArray();
                Vector512<float> tanh = SingleOps.Tanh(Vector512.Create(x));
                for (int q = 0; q < 16; q++)
                {
                    worst = Math.Max(worst, Relative(tanh[q], Math.Tanh(x[q])));
                }
            }
        }

        TestContext.Out.WriteLine($"worst relative error of float tanh: {worst:E2}");
        Assert.That(worst, Is.LessThan(4e-7), "a few float ulps");
    }

    [Test]
    public void CanKeepTheSpecialValuesOfTanh()
    {
        Assume.That(Vector512.IsHardwareAccelerated, "the kernels need 512-bit vectors");
        Vector512<double> t = DoubleOps.Tanh(Vector512.Create([0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e308, -1e-310, 30]));
        Assert.That(double.IsNegative(t[1]) && t[1] == 0 && t[0] == 0 && !double.IsNegative(t[0]), Is.True, "signed zeros");
        Assert.That(new[] { t[2], t[3], t[5], t[7] }, Is.EqualTo(new[] { 1.0, -1.0, 1.0, 1.0 }));
        Assert.That(double.IsNaN(t[4]), Is.True);
        Assert.That(t[6], Is.EqualTo(-1e-310), "subnormal arguments come back unchanged");
    }

    private static double Relative(double actual, double expected)
        => expected == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / Math.Abs(expected);
}
