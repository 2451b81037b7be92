using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using LossLandscape.Topology.MergeTrees;
using LossLandscape.Topology.Metrics;
using LossLandscape.Topology.Persistence;

namespace LossLandscape.Topology.IO;

/// <summary>
/// The topology of a landscape as one JSON-friendly object: counts, persistence statistics, the finite pairs
/// (sorted by birth, then death) and the births of the essential classes. Infinite values are written as the
/// strings "Infinity" / "-Infinity", NaN as "NaN" (JSON has no literal for them). The names and numbers are those
/// of <see cref="TopologyMetrics"/> with its default options, in camelCase. Serialised by a source-generated context,
/// so it works under trimming, Native AOT and in file-based apps.
/// </summary>
public sealed record TopologySummary
{
    /// <summary>Vertices of the landscape.</summary>
    public required int VertexCount { get; init; }

    /// <summary>Minima (<see cref="TopologyMetrics.MinimumCount"/>).</summary>
    public required int MinimumCount { get; init; }

    /// <summary>Distinct saddle vertices (<see cref="TopologyMetrics.SaddleCount"/>).</summary>
    public required int SaddleCount { get; init; }

    /// <summary>Finite pairs (saddles counted k − 1 times at a k-fold multi-saddle; <see cref="TopologyMetrics.SaddlePairCount"/>).</summary>
    public required int SaddlePairCount { get; init; }

    /// <summary>Minima on the grid boundary (<see cref="TopologyMetrics.BoundaryMinimumCount"/>).</summary>
    public required int BoundaryMinimumCount { get; init; }

    /// <summary>Average persistence with the essential class paired with the maximum (TTK's, the paper's; <see cref="TopologyMetrics.AveragePersistence"/>).</summary>
    public required double AveragePersistence { get; init; }

    /// <summary>Average persistence over finite pairs only (<see cref="TopologyMetrics.AverageFinitePersistence"/>).</summary>
    public required double AverageFinitePersistence { get; init; }

    /// <summary>Largest persistence, the essential pair included (<see cref="TopologyMetrics.MaximumPersistence"/>).</summary>
    public required double MaximumPersistence { get; init; }

    /// <summary>Total persistence, the essential pair included (<see cref="TopologyMetrics.TotalPersistence"/>).</summary>
    public required double TotalPersistence { get; init; }

    /// <summary>Persistence entropy, the essential pair included (<see cref="TopologyMetrics.PersistenceEntropy"/>).</summary>
    public required double PersistenceEntropy { get; init; }

    /// <summary>[birth, death] of every finite pair, sorted by birth then death.</summary>
    public required ImmutableArray<ImmutableArray<double>> Pairs { get; init; }

    /// <summary>Birth of every essential class.</summary>
    public required ImmutableArray<double> Essential { get; init; }

    /// <summary>
    /// The file the pairs were written to instead (<c>llt analyze --pairs</c>), when <see cref="Pairs"/> is empty for
    /// that reason; null (and left out of the JSON) otherwise.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PairsFile { get; init; }

    /// <summary>
    /// [birth, death] of every hole (dimension 1), sorted like <see cref="Pairs"/>; null, and left out of the JSON,
    /// unless asked for (<see cref="WithDiagram"/>, <c>llt analyze --dimension 1</c>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImmutableArray<ImmutableArray<double>>? Pairs1 { get; init; }

    /// <summary>[birth, death] of every void (dimension 2, a 3-D grid's), sorted like <see cref="Pairs"/>; null unless asked for.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImmutableArray<ImmutableArray<double>>? Pairs2 { get; init; }

    /// <summary>Pair count and persistence statistics of <see cref="Pairs1"/>'s diagram; null unless asked for.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PersistenceStatistics? Metrics1 { get; init; }

    /// <summary>Pair count and persistence statistics of <see cref="Pairs2"/>'s diagram; null unless asked for.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PersistenceStatistics? Metrics2 { get; init; }

    /// <summary>The basins' numbers (SMAD and basin count, after Landscaper); null, and left out of the JSON, unless asked for (<see cref="WithBasins"/>, <c>llt analyze --basins</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BasinStatistics? Basins { get; init; }

    /// <summary>The file <see cref="Pairs1"/> went to instead (<c>llt analyze --pairs</c>), when it is empty for that reason.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pairs1File { get; init; }

    /// <summary>The file <see cref="Pairs2"/> went to instead, when it is empty for that reason.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pairs2File { get; init; }

    /// <summary>
    /// The summary with a diagram of dimension 1 or 2 added as <see cref="Pairs1"/> or <see cref="Pairs2"/>, with its
    /// statistics as <see cref="Metrics1"/> or <see cref="Metrics2"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="diagram"/> is null.</exception>
    /// <exception cref="ArgumentException">The diagram's dimension is not 1 or 2.</exception>
    public TopologySummary WithDiagram(PersistenceDiagram diagram) => With(DimensionOf(diagram, withPairs: true));

    /// <summary>
    /// What <see cref="WithDiagram"/> adds for <paramref name="diagram"/>, worked out apart from any summary (so on the
    /// thread that made the diagram), its pairs left empty unless <paramref name="withPairs"/>: a caller that writes
    /// them elsewhere (<see cref="SortedBirthDeath"/>) spares a JSON-ready row per pair.
    /// </summary>
    internal static HigherDimension DimensionOf(PersistenceDiagram diagram, bool withPairs)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        if (diagram.Dimension is not (1 or 2))
        {
            throw new ArgumentException($"A summary adds diagrams of dimension 1 or 2, not {diagram.Dimension} (dimension 0 is its own pairs).", nameof(diagram));
        }

        return new HigherDimension(diagram.Dimension, withPairs ? SortedPairs(diagram.Pairs) : [], PersistenceStatistics.Of(diagram));
    }

    /// <summary>The summary with <paramref name="part"/> as <see cref="Pairs1"/> and <see cref="Metrics1"/>, or as <see cref="Pairs2"/> and <see cref="Metrics2"/>.</summary>
    internal TopologySummary With(HigherDimension part)
        => part.Dimension == 1
            ? this with { Pairs1 = part.Pairs, Metrics1 = part.Metrics }
            : this with { Pairs2 = part.Pairs, Metrics2 = part.Metrics };

    /// <summary>The pairs (JSON-ready rows, by birth then death) and statistics of a diagram of dimension 1 or 2.</summary>
    internal sealed record HigherDimension(int Dimension, ImmutableArray<ImmutableArray<double>> Pairs, PersistenceStatistics Metrics);

    /// <summary>The summary with the numbers of <paramref name="basins"/> as <see cref="Basins"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="basins"/> is null.</exception>
    public TopologySummary WithBasins(LandscapeBasins basins)
    {
        ArgumentNullException.ThrowIfNull(basins);
        return this with { Basins = basins.Statistics() };
    }

    /// <summary>The summary of a merge tree.</summary>
    public static TopologySummary Of(MergeTree tree) => Of(tree, withPairs: true);

    /// <summary>
    /// The summary of a merge tree, with <see cref="Pairs"/> empty unless <paramref name="withPairs"/>: a caller that
    /// writes the pairs elsewhere (<see cref="SortedBirthDeath"/>) spares the half a million small arrays a large grid's
    /// pairs take as JSON-ready rows.
    /// </summary>
    internal static TopologySummary Of(MergeTree tree, bool withPairs)
    {
        ArgumentNullException.ThrowIfNull(tree);
        PersistenceDiagram diagram = tree.ToPersistenceDiagram();
        TopologyMetrics metrics = TopologyMetrics.Of(diagram, tree.Landscape) with { VertexCount = tree.VertexCount };
        return new TopologySummary
        {
            VertexCount = tree.VertexCount,
            MinimumCount = metrics.MinimumCount,
            SaddleCount = metrics.SaddleCount,
            SaddlePairCount = metrics.SaddlePairCount,
            BoundaryMinimumCount = metrics.BoundaryMinimumCount,
            AveragePersistence = metrics.AveragePersistence,
            AverageFinitePersistence = metrics.AverageFinitePersistence,
            MaximumPersistence = metrics.MaximumPersistence,
            TotalPersistence = metrics.TotalPersistence,
            PersistenceEntropy = metrics.PersistenceEntropy,
            Pairs = withPairs ? SortedPairs(diagram.Pairs) : [],
            Essential = [.. diagram.Essential.Select(e => e.Birth)],
        };
    }

    /// <summary>The pairs as [birth, death] rows, sorted by birth then death (<see cref="SortedBirthDeath"/>).</summary>
    private static ImmutableArray<ImmutableArray<double>> SortedPairs(ImmutableArray<PersistencePair> pairs)
    {
        (double Birth, double Death)[] sorted = SortedBirthDeath(pairs);
        var result = new ImmutableArray<double>[sorted.Length];
        for (int i = 0; i < sorted.Length; i++)
        {
            result[i] = [sorted[i].Birth, sorted[i].Death];
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(result);
    }

    /// <summary>
    /// The pairs' births and deaths, sorted by birth then death: the order of <see cref="Pairs"/>. A tree's diagram lists
    /// its pairs in birth order already (branches are numbered by their minima), so only runs of equal births need
    /// sorting; any other order is sorted whole.
    /// </summary>
    internal static (double Birth, double Death)[] SortedBirthDeath(ImmutableArray<PersistencePair> pairs)
    {
        var sorted = new (double Birth, double Death)[pairs.Length];
        bool byBirth = true;
        for (int i = 0; i < sorted.Length; i++)
        {
            sorted[i] = (pairs[i].Birth, pairs[i].Death);
            byBirth &= i == 0 || sorted[i - 1].Birth <= sorted[i].Birth;
        }

        if (!byBirth)
        {
            Array.Sort(sorted, static (a, b) => a.Birth != b.Birth ? a.Birth.CompareTo(b.Birth) : a.Death.CompareTo(b.Death));
        }
        else
        {
            for (int start = 0; start < sorted.Length;)
            {
                int end = start + 1;
                while (end < sorted.Length && sorted[end].Birth == sorted[start].Birth)
                {
                    end++;
                }

                if (end - start > 1)
                {
                    Array.Sort(sorted, start, end - start, DeathOrder.Instance);
                }

                start = end;
            }
        }

        return sorted;
    }

    private sealed class DeathOrder : IComparer<(double Birth, double Death)>
    {
        public static readonly DeathOrder Instance = new();

        public int Compare((double Birth, double Death) x, (double Birth, double Death) y) => x.Death.CompareTo(y.Death);
    }

    /// <summary>The summary as JSON: compact by default (one line; a large diagram is written several times faster), or indented.</summary>
    public string ToJson(bool indented = false) => JsonSerializer.Serialize(this, Context(indented).TopologySummary);

    /// <summary>Writes the summary as UTF-8 JSON to <paramref name="stream"/> without building it as one string first.</summary>
    public void WriteJson(Stream stream, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonSerializer.Serialize(stream, this, Context(indented).TopologySummary);
    }

    private static TopologyJsonContext Context(bool indented) => indented ? TopologyJsonContext.Default : TopologyJsonContext.Compact;

    /// <summary>Reads a summary written by <see cref="ToJson"/>.</summary>
    public static TopologySummary FromJson(string json) => JsonSerializer.Deserialize(json, TopologyJsonContext.Default.TopologySummary)
        ?? throw new InvalidDataException("The JSON holds no topology summary.");
}

/// <summary>Source-generated JSON for the library's records (no reflection: trimming, AOT and file-based apps).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = true)]
[JsonSerializable(typeof(TopologySummary))]
internal sealed partial class TopologyJsonContext : JsonSerializerContext
{
    private static TopologyJsonContext? s_compact;

    /// <summary>The same context writing compact JSON (made on first use: the generated <c>Default</c> must exist first).</summary>
    public static TopologyJsonContext Compact
        => LazyInitializer.EnsureInitialized(ref s_compact, () => new TopologyJsonContext(new JsonSerializerOptions(Default.Options) { WriteIndented = false }));
}
