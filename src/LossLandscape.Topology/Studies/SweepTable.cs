using System.Collections.Immutable;

namespace LossLandscape.Topology.Studies;

/// <summary>
/// A study's results as a table: one row per analysed landscape (one β, architecture or seed, and one kind of
/// directions), each with text columns (<c>directions</c>, <c>condition</c>, …) and numeric columns (<c>beta</c>,
/// <c>saddles</c>, <c>rel_error</c>, …). Immutable; <see cref="Add"/> returns a new table.
/// </summary>
public sealed class SweepTable
{
    private readonly ImmutableList<SweepRow> _rows;

    /// <summary>An empty table.</summary>
    public SweepTable()
        : this(ImmutableList<SweepRow>.Empty)
    {
    }

    private SweepTable(ImmutableList<SweepRow> rows) => _rows = rows;

    /// <summary>The rows, in the order they were added.</summary>
    public IReadOnlyList<SweepRow> Rows => _rows;

    /// <summary>Every numeric column name, in first-seen order.</summary>
    public IReadOnlyList<string> NumberColumns => _rows.SelectMany(r => r.Numbers.Keys).Distinct().ToArray();

    /// <summary>Every text column name, in first-seen order.</summary>
    public IReadOnlyList<string> TextColumns => _rows.SelectMany(r => r.Texts.Keys).Distinct().ToArray();

    /// <summary>The table with one more row.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="row"/> is null.</exception>
    public SweepTable Add(SweepRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new SweepTable(_rows.Add(row));
    }

    /// <summary>The rows whose text column <paramref name="column"/> equals <paramref name="value"/>.</summary>
    public SweepTable Where(string column, string value)
        => new(_rows.Where(r => r.Texts.TryGetValue(column, out string? v) && v == value).ToImmutableList());

    /// <summary>The values of a numeric column (NaN where a row lacks it).</summary>
    public double[] Column(string name) => _rows.Select(r => r.Numbers.TryGetValue(name, out double v) ? v : double.NaN).ToArray();
}

/// <summary>One row of a <see cref="SweepTable"/>.</summary>
/// <param name="Texts">Text columns (e.g. <c>directions</c> = <c>random</c>).</param>
/// <param name="Numbers">Numeric columns (e.g. <c>beta</c> = 5, <c>saddles</c> = 3).</param>
public sealed record SweepRow(IReadOnlyDictionary<string, string> Texts, IReadOnlyDictionary<string, double> Numbers);
