using TorchSharp;
using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch;

/// <summary>
/// Tensor arithmetic whose scalar arguments stay alive for the call. TorchSharp's operators (<c>a + b</c>,
/// <c>1 - h</c>, <c>h.gt(0)</c>) turn numbers into <see cref="Scalar"/> objects and pass only their native handles;
/// nothing keeps the objects reachable, so under allocation pressure the finalizer can free a scalar while libtorch
/// reads it (seen here as "Expected false to be true" from Scalar::toDouble, once in hundreds of Hessian-vector
/// products). These scalars are held by static fields for the life of the process.
/// </summary>
internal static class TensorArithmetic
{
    private static readonly Scalar One = 1.ToScalar();
    private static readonly Scalar Zero = 0.ToScalar();

    /// <summary>a + b.</summary>
    public static Tensor Plus(Tensor a, Tensor b) => a.add(b, One);

    /// <summary>1 − x.</summary>
    public static Tensor OneMinus(Tensor x) => x.neg().add_(One, One);

    /// <summary>x &gt; 0, as a boolean tensor.</summary>
    public static Tensor Positive(Tensor x) => x.gt(Zero);
}
