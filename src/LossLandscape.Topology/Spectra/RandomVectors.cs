using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace LossLandscape.Topology.Spectra;

/// <summary>
/// Seeded probe vectors from MathNet's xoshiro256** (managed, so the same seed gives the same probes on every
/// platform, whatever device the operator runs on).
/// </summary>
internal sealed class RandomVectors(int seed)
{
    private readonly Xoshiro256StarStar _random = new(seed, threadSafe: false);

    /// <summary>Entries ±1 with equal probability.</summary>
    public double[] Rademacher(int n)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = _random.NextDouble() < 0.5 ? -1 : 1;
        }

        return v;
    }

    /// <summary>Standard normal entries (MathNet's polar method).</summary>
    public double[] Gaussian(int n)
    {
        var v = new double[n];
        Normal.Samples(_random, v, 0, 1);
        return v;
    }

    /// <summary>
    /// A vector uniform on the sphere of radius √n: a Gaussian vector rescaled. XTrace's improved residual samples
    /// are exact for such rotation-invariant vectors when the deflated remainder is a multiple of the identity,
    /// which sign vectors are not (Epperly, Tropp and Webber recommend these test vectors for that reason).
    /// </summary>
    public double[] Sphere(int n)
    {
        double[] v = Gaussian(n);
        SpectralVectors.Scale(v, Math.Sqrt(n) / SpectralVectors.Norm(v));
        return v;
    }
}
