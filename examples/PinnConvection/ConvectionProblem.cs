using TorchSharp;
using static TorchSharp.torch;

namespace PinnConvection;

/// <summary>
/// u_t + β u_x = 0 on x ∈ [0, 2π), t ∈ [0, 1], u(x, 0) = sin x, periodic in x (Krishnapriyan et al. 2021):
/// collocation points for the residual, points on the initial line and pairs of boundary points, all seeded.
/// The exact solution is sin(x − βt).
/// </summary>
internal sealed class ConvectionProblem : IDisposable
{
    private ConvectionProblem(double beta, Tensor collocation, Tensor initial, Tensor initialValues, Tensor left, Tensor right)
    {
        Beta = beta;
        Collocation = collocation;
        Initial = initial;
        InitialValues = initialValues;
        Left = left;
        Right = right;
    }

    public double Beta { get; }

    /// <summary>[N_f, 2] points (x, t) where the residual is penalised.</summary>
    public Tensor Collocation { get; }

    /// <summary>[N_u, 2] points (x, 0).</summary>
    public Tensor Initial { get; }

    /// <summary>[1, N_u, 1] values sin x at the initial points.</summary>
    public Tensor InitialValues { get; }

    /// <summary>[N_b, 2] points (0, t).</summary>
    public Tensor Left { get; }

    /// <summary>[N_b, 2] points (2π, t).</summary>
    public Tensor Right { get; }

    public static ConvectionProblem Create(double beta, int collocationPoints, int initialPoints, int boundaryPoints, long seed, Device device)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        Tensor collocation = rand(collocationPoints, 2, generator: generator) * tensor(new[] { 2 * MathF.PI, 1f });
        Tensor x0 = linspace(0, 2 * Math.PI, initialPoints + 1)[..initialPoints];
        Tensor initial = stack([x0, zeros(initialPoints)], 1);
        Tensor initialValues = sin(x0).reshape(1, initialPoints, 1);
        Tensor times = linspace(0, 1, boundaryPoints);
        Tensor left = stack([zeros(boundaryPoints), times], 1);
        Tensor right = stack([full(boundaryPoints, 2 * Math.PI), times], 1);
        return new ConvectionProblem(beta,
            collocation.to(device).DetachFromDisposeScope(), initial.to(device).DetachFromDisposeScope(), initialValues.to(device).DetachFromDisposeScope(),
            left.to(device).DetachFromDisposeScope(), right.to(device).DetachFromDisposeScope());
    }

    /// <summary>The exact solution on an nx × nt grid, [nt, nx] (rows are times).</summary>
    public static double[,] Exact(double beta, int nx, int nt)
    {
        var u = new double[nt, nx];
        for (int j = 0; j < nt; j++)
        {
            double t = nt == 1 ? 0 : (double)j / (nt - 1);
            for (int i = 0; i < nx; i++)
            {
                double x = 2 * Math.PI * i / nx;
                u[j, i] = Math.Sin(x - (beta * t));
            }
        }

        return u;
    }

    public void Dispose()
    {
        Collocation.Dispose();
        Initial.Dispose();
        InitialValues.Dispose();
        Left.Dispose();
        Right.Dispose();
    }
}
