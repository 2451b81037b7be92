namespace LossLandscape.Topology.Torch.Kernels;

/// <summary>The elementwise activations the CPU MLP kernels evaluate themselves (and differentiate from their output).</summary>
internal enum Activation
{
    /// <summary>No activation after the layer.</summary>
    Identity,

    /// <summary>tanh; derivative 1 − h².</summary>
    Tanh,

    /// <summary>The logistic function; derivative h (1 − h).</summary>
    Sigmoid,

    /// <summary>max(x, 0); derivative 1 where h &gt; 0, else 0.</summary>
    ReLU,
}
