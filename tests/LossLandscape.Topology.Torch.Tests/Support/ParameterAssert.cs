using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Tests.Support;

internal static class ParameterAssert
{
    /// <summary>The bits of every parameter, to compare before and after.</summary>
    public static long[] Bits(nn.Module model)
        => LossLandscape.Topology.Torch.Parameters.ParameterLayout.Flatten(model).Select(BitConverter.DoubleToInt64Bits).ToArray();
}
