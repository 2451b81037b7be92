#!/usr/bin/env -S dotnet run
// The paper's analysis of a small TorchSharp model, as a C# file-based app:  dotnet run analyze-model.cs
// Trains a 2-16-16-1 MLP on y = sin(2 x0) cos(x1) for a few hundred Adam steps, then one call gives the Hessian's
// top eigenvalues, trace and density, and the topology of three random and one Hessian subspace.
#:package LossLandscape.Topology.Torch@0.1.0
#:package libtorch-cpu-linux-x64@2.10.0

using LossLandscape.Topology;
using LossLandscape.Topology.Torch.Analysis;
using LossLandscape.Topology.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

torch.set_num_threads(ComputeThreads.Choose());   // never more threads than free cores
torch.manual_seed(0);
Tensor x = rand(128, 2, ScalarType.Float64) * 2 - 1;
Tensor y = (sin(2 * x[.., 0]) * cos(x[.., 1])).unsqueeze(1);
var model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1));
model.to(ScalarType.Float64);
var optimizer = optim.Adam(model.parameters(), lr: 1e-2);
for (int step = 0; step < 300; step++)
{
    using var scope = NewDisposeScope();
    optimizer.zero_grad();
    nn.functional.mse_loss(model.call(x), y).backward();
    optimizer.step();
}

model.eval();
var loss = LossFunction.FullBatch(model, () => nn.functional.mse_loss(model.call(x), y));
var options = LandscapeAnalysisOptions.Default with { Resolution = 15 };
LandscapeAnalysisResult result = new LandscapeAnalysis(seed: 42).Analyze(loss, options);
Console.WriteLine($"λ1 = {result.Hessian.TopEigenvalues[0]:G5}, trace ≈ {result.Hessian.Trace!.Estimate:G5} ± {result.Hessian.Trace.StandardError:G2}");
foreach (SubspaceAnalysis s in result.Subspaces)
{
    Console.WriteLine($"{s.Kind} {s.Seed}: {s.Metrics.MinimumCount} minima, {s.Metrics.SaddleCount} saddles, average persistence {s.Metrics.AveragePersistence:G4}");
}

Console.WriteLine($"saddles over random directions: {result.Spread(DirectionKind.Random, m => m.SaddleCount)}");
