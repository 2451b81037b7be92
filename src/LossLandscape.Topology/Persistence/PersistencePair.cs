namespace LossLandscape.Topology.Persistence;

/// <summary>
/// A finite point of the 0-dimensional persistence diagram: a sublevel-set component born at a minimum and
/// dying at the saddle where it merges into an older component (elder rule).
/// </summary>
/// <param name="BirthVertex">Vertex of the minimum.</param>
/// <param name="Birth">Value at the minimum.</param>
/// <param name="DeathVertex">Vertex of the saddle.</param>
/// <param name="Death">Value at the saddle (may be +∞ when components meet only across +∞ values).</param>
public readonly record struct PersistencePair(int BirthVertex, double Birth, int DeathVertex, double Death)
{
    /// <summary>
    /// Death − birth; zero for a pair created by a tie, and zero whenever birth equals death, also at ±∞ (so that
    /// ∞ − ∞ never becomes NaN); +∞ for a pair born at a finite value that dies at +∞.
    /// </summary>
    public double Persistence => Difference(Birth, Death);

    /// <summary>high − low, with high = low counting as 0 even at ±∞ (see docs/conventions.md).</summary>
    internal static double Difference(double low, double high) => high == low ? 0 : high - low;
}

/// <summary>
/// An essential class: the component of a connected part of the graph that never dies. It is born at that
/// part's global minimum; its maximum is kept so that it can be paired with it as TTK does.
/// </summary>
/// <param name="BirthVertex">Vertex of the minimum.</param>
/// <param name="Birth">The minimum value.</param>
/// <param name="MaximumVertex">Vertex of the highest value of the same connected part.</param>
/// <param name="Maximum">That highest value.</param>
public readonly record struct EssentialClass(int BirthVertex, double Birth, int MaximumVertex, double Maximum)
{
    /// <summary>Maximum − birth: the persistence this class gets when paired with its maximum (0 when they are equal, also at ±∞).</summary>
    public double PersistenceToMaximum => PersistencePair.Difference(Birth, Maximum);
}
