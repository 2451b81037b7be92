using static TorchSharp.torch;

namespace LossLandscape.Topology.Torch.Directions;

/// <summary>Chooses the directions of a landscape's subspace (stage 1 of the pipeline).</summary>
public interface IDirectionSampler
{
    /// <summary>Returns <paramref name="count"/> directions in <paramref name="model"/>'s parameter space.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    DirectionSet Sample(nn.Module model, int count);
}
