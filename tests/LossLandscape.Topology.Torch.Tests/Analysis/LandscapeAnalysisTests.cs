using LossLandscape.Topology.Spectra;
using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.Landscapes;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Studies;
using LossLandscape.Topology.Torch.Analysis;
using LossLandscape.Topology.Torch.Directions;
using LossLandscape.Topology.Torch.Hessian;
using LossLandscape.Topology.Torch.Losses;
using LossLandscape.Topology.Torch.Parameters;
using LossLandscape.Topology.Torch.Sampling;
using LossLandscape.Topology.Torch.Tests.Support;

namespace LossLandscape.Topology.Torch.Tests.Analysis;

public class LandscapeAnalysisTests
{
    private static readonly LandscapeAnalysisOptions Small = new() { Resolution = 7, RandomDirectionSeeds = 2, TraceProducts = 12, DensitySteps = 10 };

    [Test]
    public void CanMatchTheHandWrittenPipelineBitForBit()
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        LandscapeAnalysisResult result = new LandscapeAnalysis(seed: 5).Analyze(loss, Small);

        // The same steps written by hand, as a researcher would without the one-call API.
        Eigenpairs top;
        TraceEstimate trace;
        using (var analyzer = new HessianAnalyzer(loss))
        {
            top = analyzer.TopEigenpairs(2, new LanczosOptions { Seed = 5, Tolerance = 1e-6 });
            trace = analyzer.HutchPlusPlus(new HutchPlusPlusOptions { Products = 12, Seed = 5 });
        }

        var layout = ParameterLayout.Of(mlp.Model);
        double norm = new DirectionSet(layout, [ParameterLayout.Flatten(mlp.Model)]).Norm(0);
        var hessian = new DirectionSet(ParameterLayout.Of(mlp.Model), top.Eigenvectors.Select(v => v.Select(x => x * norm).ToArray()).ToArray());
        DirectionSet[] sets = [new RandomDirectionSampler(5).Sample(mlp.Model, 2), new RandomDirectionSampler(6).Sample(mlp.Model, 2), hessian];
        Assert.That(result.Subspaces, Has.Length.EqualTo(3));
        Assert.That(result.Hessian.TopEigenvalues, Is.EqualTo(top.Eigenvalues));
        Assert.That(result.Hessian.Trace!.Estimate, Is.EqualTo(trace.Estimate));
        for (int i = 0; i < sets.Length; i++)
        {
            Landscape expected = new LandscapeSampler(loss).Along(sets[i]).OnGrid(-1, 1, 7).Sample();
            MergeTree tree = new MergeTreeBuilder(new MergeTreeOptions { NaNHandling = NaNHandling.TreatAsPositiveInfinity }).Build(GridGraphBuilder.Full, expected);
            SubspaceAnalysis got = result.Subspaces[i];
            Assert.That(got.Landscape.Values.ToArray(), Is.EqualTo(expected.Values.ToArray()), $"subspace {i}: landscape");
            Assert.That(got.Metrics, Is.EqualTo(TopologyMetrics.Of(tree)), $"subspace {i}: metrics");
            Assert.That(got.Diagram.Pairs, Is.EqualTo(tree.ToPersistenceDiagram().Pairs), $"subspace {i}: diagram");
        }

        Assert.That(result.Subspaces.Select(s => (s.Kind, s.Seed)), Is.EqualTo(new (DirectionKind, long?)[] { (DirectionKind.Random, 5), (DirectionKind.Random, 6), (DirectionKind.Hessian, null) }));
    }

    [Test]
    public void CanRepeatAnAnalysisExactlyAndLeaveTheModelAsItWas()
    {
        using var mlp = ReferenceMlp.Load();
        long[] before = ParameterAssert.Bits(mlp.Model);
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        LandscapeAnalysisResult first = new LandscapeAnalysis(3).Analyze(loss, Small with { ScatteredPoints = 60 });
        LandscapeAnalysisResult second = new LandscapeAnalysis(3).Analyze(loss, Small with { ScatteredPoints = 60 });
        Assert.That(ParameterAssert.Bits(mlp.Model), Is.EqualTo(before));
        for (int i = 0; i < first.Subspaces.Length; i++)
        {
            Assert.That(second.Subspaces[i].Landscape.Values.ToArray(), Is.EqualTo(first.Subspaces[i].Landscape.Values.ToArray()));
            Assert.That(second.Subspaces[i].Metrics, Is.EqualTo(first.Subspaces[i].Metrics));
        }

        Assert.That(first.Subspaces[0].Landscape.IsGrid, Is.False);
        Assert.That(first.Subspaces[0].GraphKind, Does.Contain("NN-descent"));
        MetricSpread spread = first.Spread(DirectionKind.Random, m => m.MinimumCount);
        Assert.That(spread.Count, Is.EqualTo(2));
        Assert.That(spread.Minimum, Is.LessThanOrEqualTo(spread.Median).And.LessThanOrEqualTo(spread.Maximum));
    }

    [TestCase(HessianDirectionScaling.Unit)]
    [TestCase(HessianDirectionScaling.ParameterNorm)]
    [TestCase(HessianDirectionScaling.FilterNormalized)]
    public void CanScaleHessianDirectionsAsAsked(HessianDirectionScaling scaling)
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        var options = Small with { Directions = [DirectionKind.Hessian], HessianScaling = scaling, TraceProducts = 0, DensitySteps = 0, Resolution = 3 };
        DirectionSet directions = new LandscapeAnalysis(1).Analyze(loss, options).Subspaces.Single().Directions;
        double theta = Math.Sqrt(ParameterLayout.Flatten(mlp.Model).Sum(x => x * x));
        double expected = scaling switch
        {
            HessianDirectionScaling.Unit => 1,
            HessianDirectionScaling.ParameterNorm => theta,
            _ => new RandomDirectionSampler(1).Sample(mlp.Model, 1).Norm(0),
        };
        Assert.That(directions.Norm(0), Is.EqualTo(expected).Within(scaling == HessianDirectionScaling.FilterNormalized ? 1e-6 * expected : 1e-12 * expected), "filter normalisation's 1e-10 guard shifts small filters slightly");
    }

    [Test]
    public void AnalyzeFailsOnOptionsOutOfRangeNamingThem()
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        var analysis = new LandscapeAnalysis();
        Assert.That(Assert.Throws<ArgumentException>(() => analysis.Analyze(loss, Small with { Resolution = 1 }))!.ParamName, Is.EqualTo("Resolution"));
        Assert.That(Assert.Throws<ArgumentException>(() => analysis.Analyze(loss, Small with { Range = double.NaN }))!.ParamName, Is.EqualTo("Range"));
        Assert.That(Assert.Throws<ArgumentException>(() => analysis.Analyze(loss, Small with { TopEigenvalues = 1 }))!.Message, Does.Contain("TopEigenvalues is 1"));
        Assert.That(Assert.Throws<ArgumentException>(() => analysis.Analyze(loss, Small with { Directions = [DirectionKind.Random, DirectionKind.Random] }))!.ParamName, Is.EqualTo("Directions"));
    }

    [Test]
    public void CanTurnASweepIntoATableAndClaims()
    {
        using var mlp = ReferenceMlp.Load();
        var loss = LossFunction.FullBatch(mlp.Model, mlp.MeanSquaredError);
        var options = Small with { Directions = [DirectionKind.Random], Resolution = 5, TopEigenvalues = 0, TraceProducts = 0, DensitySteps = 0 };
        var sweep = new LandscapeSweep();
        for (int b = 1; b <= 6; b++)
        {
            sweep = sweep.Add(new Dictionary<string, double> { ["beta"] = b }, new LandscapeAnalysis(b).Analyze(loss, options), new Dictionary<string, double> { ["rel_error"] = b / 10.0 });
        }

        Assert.That(sweep.Table.Rows, Has.Count.EqualTo(12));
        Assert.That(sweep.Table.Where("directions", "random").Rows, Has.Count.EqualTo(12));
        Assert.That(sweep.Table.Column("analysis"), Is.EqualTo(new double[] { 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 }));
        Assert.That(sweep.Table.NumberColumns, Is.SupersetOf(LandscapeSweep.MetricColumns).And.Contains("beta").And.Contains("rel_error"));
        Assert.That(sweep.Table.Column("top_eigenvalue"), Is.All.NaN, "no Hessian numbers were asked for");
        ClaimResult error = sweep.Test([new Claim("error rises with β", "rel_error", "beta", "random", +1)]).Single();
        Assert.That(error.Correlation.Rho, Is.EqualTo(1).Within(1e-12));
        Assert.That(error.Verdict, Is.EqualTo(ClaimVerdict.Supported), "six analyses drawn as clusters");

        var three = new LandscapeSweep();
        foreach (LandscapeAnalysisResult r in sweep.Results.Take(3))
        {
            three = three.Add(new Dictionary<string, double> { ["beta"] = r.Seed }, r, new Dictionary<string, double> { ["rel_error"] = r.Seed / 10.0 });
        }

        Assert.That(three.Test([new Claim("error rises with β", "rel_error", "beta", "random", +1)]).Single().Verdict, Is.EqualTo(ClaimVerdict.Inconclusive),
            "three analyses cannot exclude 0: one draw in nine repeats a single analysis");
    }
}
