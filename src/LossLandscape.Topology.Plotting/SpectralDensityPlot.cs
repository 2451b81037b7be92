using LossLandscape.Topology.Spectra;
using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>An eigenvalue density curve (from stochastic Lanczos quadrature), log-scaled as PyHessian draws it.</summary>
public static class SpectralDensityPlot
{
    /// <summary>Draws log10(density) against the eigenvalue, the density smoothed as PyHessian does (<see cref="SpectralDensity.Smooth"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="density"/> is null.</exception>
    public static Plot Create(SpectralDensity density, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(density);
        return Create(density.Smooth(), title);
    }

    /// <summary>Draws log10(density) against the eigenvalue.</summary>
    /// <exception cref="ArgumentException">The curve is empty or its arrays differ in length.</exception>
    public static Plot Create(SmoothedDensity curve, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (curve.Grid.Length != curve.Density.Length || curve.Grid.IsDefaultOrEmpty)
        {
            throw new ArgumentException($"Got {(curve.Grid.IsDefault ? 0 : curve.Grid.Length)} grid points and {(curve.Density.IsDefault ? 0 : curve.Density.Length)} densities.", nameof(curve));
        }

        var plot = new Plot();
        double floor = 1e-12;
        var line = plot.Add.Scatter(curve.Grid.ToArray(), curve.Density.Select(d => Math.Log10(Math.Max(d, floor))).ToArray(), Colors.DarkSlateBlue);
        line.MarkerSize = 0;
        line.LineWidth = 1.5f;
        plot.Axes.Bottom.Label.Text = "eigenvalue";
        plot.Axes.Left.Label.Text = "log10 density";
        plot.Title(TitleText.Wrap(title ?? "Hessian eigenvalue density", TitleText.LineLength(PlotFiles.DefaultWidth)));
        return plot;
    }
}
