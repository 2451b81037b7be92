using LossLandscape.Topology.Ordering;

namespace LossLandscape.Topology.Tests.Ordering;

public class RadixArgsortTests
{
    private static readonly double[] Special =
    [
        double.NegativeInfinity, double.MinValue, -1e300, -1, -double.Epsilon, -0.0, 0.0, double.Epsilon,
        1e-310, 1e-300, 0.5, 1, 1 + 1e-16, 2, 1e300, double.MaxValue, double.PositiveInfinity,
    ];

    [Test]
    public void CanSortEveryLengthUpTo300LikeAComparisonSortOnValueThenIndex()
    {
        var random = new Random(7);
        for (int n = 0; n <= 300; n++)
        {
            double[] values = Enumerable.Range(0, n).Select(_ => Draw(random)).ToArray();
            Assert.That(Argsort(values), Is.EqualTo(Reference(values)), $"length {n}");
        }
    }

    [Test]
    public void CanSortLargeInputsWithManyTies()
    {
        var random = new Random(8);
        double[] values = Enumerable.Range(0, 200_000).Select(_ => (double)random.Next(1000) * (random.Next(2) == 0 ? -1 : 1)).ToArray();
        Assert.That(Argsort(values), Is.EqualTo(Reference(values)));
    }

    [Test]
    public void CanSortLargeInputsTopDigitFirstLikeAComparisonSort()
    {
        // From 2¹⁷ keys the top varying digit goes first: wide ranges with specials, one narrow cluster (every key
        // agreeing on most bits), uniform values, and keys that differ only in their lowest bits.
        var random = new Random(9);
        int n = 300_000;
        var cases = new Dictionary<string, double[]>
        {
            ["wide, with specials"] = Enumerable.Range(0, n).Select(_ => Draw(random)).ToArray(),
            ["uniform"] = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray(),
            ["narrow cluster"] = Enumerable.Range(0, n).Select(_ => 1 + (random.Next(5000) * double.Epsilon * 1e300)).ToArray(),
            ["last bits"] = Enumerable.Range(0, n).Select(_ => BitConverter.Int64BitsToDouble(0x3FF0_0000_0000_0000 + random.Next(3000))).ToArray(),
        };
        foreach ((string name, double[] values) in cases)
        {
            Assert.That(Argsort(values), Is.EqualTo(Reference(values)), name);
        }
    }

    [Test]
    public void CanMapKeysMonotonicallyAndBack()
    {
        for (int i = 0; i < Special.Length; i++)
        {
            for (int j = 0; j < Special.Length; j++)
            {
                int expected = Special[i] == Special[j] ? 0 : Special[i].CompareTo(Special[j]); // −0 == +0
                Assert.That(Math.Sign(SortableKeys.FromDouble(Special[i]).CompareTo(SortableKeys.FromDouble(Special[j]))), Is.EqualTo(Math.Sign(expected)), $"{Special[i]} vs {Special[j]}");
            }

            double back = SortableKeys.ToDouble(SortableKeys.FromDouble(Special[i]));
            Assert.That(back, Is.EqualTo(Special[i]), $"{Special[i]} round trip");
        }
    }

    [Test]
    public void FillReportsFirstNaNOrMapsItToInfinity()
    {
        double[] values = [1, double.NaN, 2, double.NaN];
        var keys = new ulong[4];
        Assert.That(SortableKeys.Fill(values, keys, NaNHandling.Throw), Is.EqualTo(1));
        Assert.That(SortableKeys.Fill(values, keys, NaNHandling.TreatAsPositiveInfinity), Is.EqualTo(-1));
        Assert.That(keys[1], Is.EqualTo(SortableKeys.FromDouble(double.PositiveInfinity)));
    }

    private static double Draw(Random random) => random.Next(4) switch
    {
        0 => Special[random.Next(Special.Length)],
        1 => random.Next(5),
        _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20)),
    };

    private static int[] Argsort(double[] values)
    {
        int n = values.Length;
        var keys = new ulong[n];
        SortableKeys.Fill(values, keys, NaNHandling.Throw);
        var order = new int[n];
        RadixArgsort.Sort(keys, new ulong[n], order, new int[n]);
        return order;
    }

    private static int[] Reference(double[] values)
        => Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ThenBy(i => i).ToArray();
}
