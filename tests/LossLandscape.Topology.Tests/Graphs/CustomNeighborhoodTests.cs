using LossLandscape.Topology.Graphs;
using LossLandscape.Topology.MergeTrees;

namespace LossLandscape.Topology.Tests.Graphs;

/// <summary>Implicit graphs of the caller's own (a torus here) swept directly, against the same graph stored as edges.</summary>
public class CustomNeighborhoodTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void CanSweepATorusAsItsStoredGraphDoes(int seed)
    {
        var random = new Random(seed);
        var torus = new Torus(13, 17);
        // Ties and infinities on purpose: every third value repeats, and a few are +∞.
        double[] values = Enumerable.Range(0, torus.VertexCount)
            .Select(_ => random.Next(12) == 0 ? double.PositiveInfinity : Math.Round(random.NextDouble() * 20) / 4).ToArray();
        NeighborGraph stored = NeighborGraph.FromNeighborhood(torus);
        var builder = new MergeTreeBuilder();
        MergeTree swept = builder.Build(torus, values);
        MergeTree expected = builder.Build(stored, values);
        Assert.That(swept.Nodes, Is.EqualTo(expected.Nodes));
        Assert.That(swept.Arcs, Is.EqualTo(expected.Arcs));
        Assert.That(swept.ToPersistenceDiagram().Pairs, Is.EqualTo(expected.ToPersistenceDiagram().Pairs));
        Assert.That(stored.EdgeCount, Is.EqualTo(2L * torus.VertexCount), "a 4-neighbour torus has 2 edges per vertex");
    }

    [Test]
    public void CanTellATorusFromTheGridItWrapsAround()
    {
        // A valley along the seam: on the torus the two halves are one basin, on the open grid two.
        var torus = new Torus(1, 10);
        double[] values = [0, 1, 2, 3, 4, 5, 4, 3, 2, 0.5];
        Assert.That(new MergeTreeBuilder().Build(torus, values).MinimumCount, Is.EqualTo(1));
        Assert.That(new MergeTreeBuilder().Build(GridGraphBuilder.Axis.Build(Topology.Landscapes.Landscape.FromGrid(values, [10])), values).MinimumCount, Is.EqualTo(2));
    }

    [Test]
    public void RefusesANeighborhoodThatListsAnInvalidVertexOrOverflowsItsDegree()
    {
        double[] values = [1, 2, 3];
        Assert.That(Assert.Throws<InvalidOperationException>(() => new MergeTreeBuilder().Build(new Broken(3, 5), values))!.Message, Does.Contain("lists 5 as a neighbour"));
        Assert.That(Assert.Throws<ArgumentException>(() => new MergeTreeBuilder().Build(new Broken(4, 1), values))!.Message, Does.Contain("4 vertices but 3 values"));
        Assert.That(Assert.Throws<ArgumentException>(() => NeighborGraph.FromNeighborhood(new OneWay()))!.Message, Does.Contain("Edge (0, 1) has no reverse edge"), "an edge listed from one end only");
    }

    /// <summary>The 4-neighbour torus: a grid whose rows and columns wrap around.</summary>
    private readonly struct Torus(int rows, int columns) : INeighborhood
    {
        public int VertexCount => rows * columns;

        public int MaxDegree => 4;

        public int GetNeighbors(int vertex, Span<int> destination)
        {
            int r = vertex / columns;
            int c = vertex % columns;
            Span<int> candidates =
            [
                (((r + rows - 1) % rows) * columns) + c,
                (((r + 1) % rows) * columns) + c,
                (r * columns) + ((c + columns - 1) % columns),
                (r * columns) + ((c + 1) % columns),
            ];
            int count = 0;
            foreach (int u in candidates)
            {
                if (u != vertex && !destination[..count].Contains(u))
                {
                    destination[count++] = u;
                }
            }

            return count;
        }
    }

    private readonly struct Broken(int vertices, int neighbor) : INeighborhood
    {
        public int VertexCount => vertices;

        public int MaxDegree => 1;

        public int GetNeighbors(int vertex, Span<int> destination)
        {
            destination[0] = neighbor;
            return 1;
        }
    }

    private readonly struct OneWay : INeighborhood
    {
        public int VertexCount => 3;

        public int MaxDegree => 1;

        public int GetNeighbors(int vertex, Span<int> destination)
        {
            if (vertex == 0)
            {
                destination[0] = 1;
                return 1;
            }

            return 0;
        }
    }
}
