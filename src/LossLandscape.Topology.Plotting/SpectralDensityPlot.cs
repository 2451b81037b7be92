using ScottPlot;

namespace LossLandscape.Topology.Plotting;

/// <summary>A Hessian eigenvalue density curve (from stochastic Lanczos quadrature), log-scaled as PyHessian draws it.</summary>
public static class SpectralDensityPlot
{
    /// <summary>Draws log10(density) against the eigenvalue.</summary>
    /// <exception cref="ArgumentException">The arrays differ in length or are empty.</exception>
    public static Plot Create(double[] grid, double[] density, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(density);
        if (grid.Length != density.Length || grid.Length == 0)
        {
            throw new ArgumentException($"Got {grid.Length} grid points and {density.Length} densities.", nameof(density));
        }

        var plot = new Plot();
        double floor = 1e-12;
        var line = plot.Add.Scatter(grid, density.Select(d => Math.Log10(Math.Max(d, floor))).ToArray(), Colors.DarkSlateBlue);
        line.MarkerSize = 0;
        line.LineWidth = 1.5f;
        plot.Axes.Bottom.Label.Text = "eigenvalue";
        plot.Axes.Left.Label.Text = "log10 density";
        plot.Title(title ?? "Hessian eigenvalue density");
        return plot;
    }
}
