using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.IO;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Plotting;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Sampling;
using TorchSharp;
using static TorchSharp.torch;

// A tiny end-to-end pipeline: a small model's landscape → merge tree → metrics → PNG, checked.
string output = args.Length > 0 ? args[0] : "out";
Directory.CreateDirectory(output);
manual_seed(1);
var model = nn.Sequential(("fc1", nn.Linear(2, 8)), ("act", nn.Tanh()), ("fc2", nn.Linear(8, 1)));
Tensor x = rand(64, 2) * 2 - 1;
Tensor y = (x[.., 0] * x[.., 1]).unsqueeze(1);
var loss = LossFunction.FullBatch(model, () => (model.call(x) - y).square().mean());
DirectionSet directions = new RandomDirectionSampler(seed: 3).Sample(model, 2);
Landscape landscape = new LandscapeSampler(loss).Along(directions).OnGrid(-1, 1, 9).Sample();
MergeTree tree = new MergeTreeBuilder().Build(GridGraphBuilder.Full, landscape);
TopologyMetrics metrics = TopologyMetrics.Of(tree);
PlotFiles.Save(LandscapeHeatmap.Create(landscape, new LandscapeHeatmapOptions { CriticalPoints = tree }), Path.Combine(output, "landscape.png"));
NpyFile.Write(Path.Combine(output, "landscape.npy"), landscape);

bool ok = landscape.Count == 81 && metrics.MinimumCount >= 1 && new FileInfo(Path.Combine(output, "landscape.png")).Length > 1000
    && landscape.Values.ToArray().All(double.IsFinite);
Console.WriteLine(TopologySummary.Of(tree).ToJson());
Console.WriteLine(ok ? "consumer pipeline: ok" : "consumer pipeline: FAILED");
return ok ? 0 : 1;
