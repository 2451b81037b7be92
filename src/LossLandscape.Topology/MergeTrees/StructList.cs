using System.Runtime.CompilerServices;

namespace LossLandscape.Topology.MergeTrees;

/// <summary>A minimal growable array of small structs, indexable by reference (no per-item allocation, no bounds re-checks by a wrapper).</summary>
internal struct StructList<T>(int capacity)
    where T : unmanaged
{
    private T[] _items = new T[Math.Max(4, capacity)];

    public int Count { get; private set; }

    public readonly ref T this[int index] => ref _items[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Add(T item)
    {
        if (Count == _items.Length)
        {
            System.Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count] = item;
        return Count++;
    }

    public readonly ReadOnlySpan<T> AsSpan() => _items.AsSpan(0, Count);

    /// <summary>The backing array (at least <see cref="Count"/> long), handed over without a copy.</summary>
    public readonly T[] Array => _items;
}
