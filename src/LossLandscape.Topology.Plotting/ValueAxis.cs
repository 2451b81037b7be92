using System.Globalization;
using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>
/// The transform a <see cref="ValueScale"/> picks for a set of values, with ticks that show the values themselves
/// (a log axis is labelled in loss − min + ε decades, never in raw logarithms).
/// </summary>
internal sealed class ValueAxis
{
    private readonly double _min;
    private readonly double _epsilon;
    private readonly double _clip;

    private ValueAxis(ValueScale scale, double min, double epsilon, double clip)
    {
        Scale = scale;
        _min = min;
        _epsilon = epsilon;
        _clip = clip;
    }

    /// <summary>The scale chosen (never <see cref="ValueScale.Auto"/>).</summary>
    public ValueScale Scale { get; }

    /// <summary>The largest value drawn as itself: the clip level, or the largest finite value.</summary>
    public double Top => _clip;

    /// <summary>Picks the transform for <paramref name="values"/>.</summary>
    public static ValueAxis For(IEnumerable<double> values, ValueScale scale, double clipQuantile)
    {
        double[] finite = values.Where(double.IsFinite).Order().ToArray();
        if (finite.Length == 0)
        {
            finite = [0];
        }

        double min = finite[0];
        double max = finite[^1];
        double spread = max - min;
        double[] rises = finite.Select(v => v - min).Where(d => d > 0).ToArray();

        if (scale == ValueScale.Auto)
        {
            // Positive values (losses): log when they span more than two decades. Otherwise, log when the largest
            // rise above the minimum is more than a hundred times the typical (median) one.
            double median = rises.Length > 0 ? rises[rises.Length / 2] : 0;
            bool wide = min > 0 ? max / min > 100 : median > 0 && spread / median > 100;
            scale = wide ? ValueScale.Log : ValueScale.Linear;
        }

        double clip = scale == ValueScale.Clipped
            ? finite[(int)Math.Clamp(Math.Round(clipQuantile * (finite.Length - 1)), 0, finite.Length - 1)]
            : max;
        return new ValueAxis(scale, min, Epsilon(finite, min, max), clip);
    }

    /// <summary>
    /// ε of a log scale: half the smallest rise above the minimum, so the minimum sits one step below the next
    /// value, never at −∞. Rises below 10⁻⁹ of the values' magnitude are rounding (equal losses computed twice), not
    /// structure, and are skipped, or the axis would open decades of empty space.
    /// </summary>
    /// <param name="values">The values, in any order (non-finite ones are skipped).</param>
    /// <param name="min">Their smallest finite value.</param>
    /// <param name="max">Their largest finite value.</param>
    internal static double Epsilon(ReadOnlySpan<double> values, double min, double max)
    {
        double spread = max - min;
        double noise = 1e-9 * Math.Max(Math.Abs(min), spread);
        double next = double.PositiveInfinity;
        foreach (double v in values)
        {
            if (double.IsFinite(v) && v - min > noise && v < next)
            {
                next = v;
            }
        }

        return double.IsFinite(next) ? (next - min) / 2 : spread > 0 ? spread / 2 : Math.Max(Math.Abs(min) * 1e-3, 1e-300);
    }

    /// <summary>Where a value is drawn; +∞ and values above the clip level at <see cref="Top"/>.</summary>
    public double Map(double value)
    {
        double v = double.IsNaN(value) || value > _clip ? _clip : value;
        return Scale == ValueScale.Log ? Math.Log10(v - _min + _epsilon) : v;
    }

    /// <summary>Axis title: the quantity and, for a log or clipped axis, what was done to it.</summary>
    public string Label(string quantity) => Scale switch
    {
        ValueScale.Log => $"{quantity} − min + ε (log; min = {_min.ToString("G4", CultureInfo.InvariantCulture)}, ε = {_epsilon.ToString("G2", CultureInfo.InvariantCulture)})",
        ValueScale.Clipped => $"{quantity} (clipped at {_clip.ToString("G4", CultureInfo.InvariantCulture)})",
        _ => quantity,
    };

    /// <summary>Gives <paramref name="axis"/> decade ticks for a log scale (labelled 10⁻², 1, 10², …); other scales keep ScottPlot's.</summary>
    public void Apply(IAxis axis, string quantity)
    {
        axis.Label.Text = Label(quantity);
        if (Scale == ValueScale.Log)
        {
            axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                LabelFormatter = y => Decade(y),
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            };
        }
    }

    private static string Decade(double exponent)
    {
        int k = (int)Math.Round(exponent);
        return k switch
        {
            0 => "1",
            1 => "10",
            _ => "1e" + k.ToString(CultureInfo.InvariantCulture),
        };
    }
}
