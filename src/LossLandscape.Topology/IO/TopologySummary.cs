using System.Text.Json;
using System.Text.Json.Serialization;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.IO;

/// <summary>
/// The topology of a landscape as one JSON-friendly object: counts, persistence statistics, the finite pairs
/// (sorted by birth, then death) and the births of the essential classes. Infinite values are written as the
/// strings "Infinity" / "-Infinity", NaN as "NaN" (JSON has no literal for them).
/// </summary>
public sealed record TopologySummary
{
    /// <summary>Vertices of the landscape.</summary>
    public required int VertexCount { get; init; }

    /// <summary>Minima.</summary>
    public required int MinimaCount { get; init; }

    /// <summary>Distinct saddle vertices.</summary>
    public required int SaddleCount { get; init; }

    /// <summary>Finite pairs (saddles counted k − 1 times at a k-fold multi-saddle).</summary>
    public required int SaddlePairCount { get; init; }

    /// <summary>Average persistence over finite pairs only.</summary>
    public required double AveragePersistence { get; init; }

    /// <summary>Average persistence with the essential class paired with the maximum (TTK's, the paper's).</summary>
    public required double AveragePersistenceWithEssential { get; init; }

    /// <summary>Largest finite-pair persistence.</summary>
    public required double MaximumPersistence { get; init; }

    /// <summary>Total finite-pair persistence.</summary>
    public required double TotalPersistence { get; init; }

    /// <summary>Persistence entropy of the finite pairs.</summary>
    public required double PersistenceEntropy { get; init; }

    /// <summary>[birth, death] of every finite pair, sorted by birth then death.</summary>
    public required double[][] Pairs { get; init; }

    /// <summary>Birth of every essential class.</summary>
    public required double[] Essential { get; init; }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    /// <summary>The summary of a merge tree.</summary>
    public static TopologySummary Of(MergeTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        PersistenceDiagram diagram = tree.ToPersistenceDiagram();
        TopologyMetrics finite = TopologyMetrics.Of(diagram, new TopologyMetricsOptions { EssentialClass = EssentialClassHandling.Exclude });
        TopologyMetrics withEssential = TopologyMetrics.Of(diagram, new TopologyMetricsOptions { EssentialClass = EssentialClassHandling.PairWithMaximum });
        return new TopologySummary
        {
            VertexCount = tree.VertexCount,
            MinimaCount = finite.MinimumCount,
            SaddleCount = finite.SaddleCount,
            SaddlePairCount = finite.SaddlePairCount,
            AveragePersistence = finite.AveragePersistence,
            AveragePersistenceWithEssential = withEssential.AveragePersistence,
            MaximumPersistence = finite.MaximumPersistence,
            TotalPersistence = finite.TotalPersistence,
            PersistenceEntropy = finite.PersistenceEntropy,
            Pairs = diagram.Pairs.OrderBy(p => p.Birth).ThenBy(p => p.Death).Select(p => new[] { p.Birth, p.Death }).ToArray(),
            Essential = diagram.Essential.Select(e => e.Birth).ToArray(),
        };
    }

    /// <summary>The summary as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads a summary written by <see cref="ToJson"/>.</summary>
    public static TopologySummary FromJson(string json) => JsonSerializer.Deserialize<TopologySummary>(json, Options)
        ?? throw new InvalidDataException("The JSON holds no topology summary.");
}
