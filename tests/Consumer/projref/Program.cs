using LossLandscape.Topology.Torch.Parameters;
using static TorchSharp.torch;

// The library first (as LandscapeAnalysis, a loss or a direction sampler would be), then TorchSharp.
var layout = new ParameterLayout(["w"], [[2L, 3L]]);
var model = nn.Linear(3, 2);
Console.WriteLine($"project reference: ok ({layout}; {ParameterLayout.Of(model)})");
