using LossLandscape.Topology.Torch.Directions;

namespace LossLandscape.Topology.Torch.Hessian;

/// <summary>Seeded probe vectors (managed, so the same seed gives the same probes on any device).</summary>
internal sealed class RandomVectors(long seed)
{
    private readonly GaussianSource _source = new(seed);

    /// <summary>Entries ±1 with equal probability.</summary>
    public double[] Rademacher(int n)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = _source.NextUniform() < 0.5 ? -1 : 1;
        }

        return v;
    }

    public double[] Gaussian(int n)
    {
        var v = new double[n];
        _source.Fill(v);
        return v;
    }
}
