using LossLandscape.Topology.Graphs;

namespace LossLandscape.Topology.Tests.Graphs;

/// <summary>
/// The Freudenthal connectivity against two independent sources: the vertex neighbours TTK's implicit triangulation
/// lists (transcribed from ttk/core/base/implicitTriangulation/ImplicitTriangulation.h, getVertexNeighbor2dABCD and
/// getVertexNeighborABCDEFGH), and the edges of a Kuhn triangulation built cube by cube.
/// </summary>
public class TtkTriangulationParityTests
{
    [Test]
    public void CanListTheNeighboursTtkListsForEveryInteriorVertex2D()
    {
        // TTK's 2-D interior vertex v (x fastest, dimX = vshift_[0]): v − 1, v − dimX, v − dimX + 1, v + 1, v + dimX, v + dimX − 1.
        const int DimX = 7;
        const int DimY = 6;
        var grid = new GridTopology([DimY, DimX], GridConnectivity.Freudenthal); // row-major, last axis fastest: TTK's layout
        int[] ttk = [-1, -DimX, -DimX + 1, 1, DimX, DimX - 1];
        AssertInteriorNeighbors(grid, [DimY, DimX], ttk);
    }

    [Test]
    public void CanListTheNeighboursTtkListsForEveryInteriorVertex3D()
    {
        // TTK's 3-D interior vertex v (vshift_[0] = dimX, vshift_[1] = dimX·dimY), cases 0–13 of getVertexNeighborABCDEFGH.
        const int DimX = 5;
        const int DimY = 6;
        const int DimZ = 4;
        const int Sx = DimX;
        const int Sxy = DimX * DimY;
        int[] ttk =
        [
            -Sx - Sxy, 1 - Sx - Sxy, -Sxy, 1 - Sxy, -Sx, 1 - Sx, 1,
            -1 + Sxy, Sxy, -1, -1 + Sx, Sx, -1 + Sx + Sxy, Sx + Sxy,
        ];
        var grid = new GridTopology([DimZ, DimY, DimX], GridConnectivity.Freudenthal);
        AssertInteriorNeighbors(grid, [DimZ, DimY, DimX], ttk);
    }

    [TestCase(new[] { 6, 7 })]
    [TestCase(new[] { 4, 3, 5 })]
    [TestCase(new[] { 3, 3, 2, 3 })]
    public void CanGiveTheEdgesOfAKuhnTriangulationBuiltCubeByCube(int[] shape)
    {
        // Each cube [c, c + 1]^k is cut into k! simplices, one per order of the axes: walk from the cube's corner that
        // is lowest on the last axis and highest on every other (TTK's orientation), one step per axis in that order
        // (+1 on the last axis, −1 on the others). Every pair of vertices on a walk is an edge.
        var grid = new GridTopology(shape, GridConnectivity.Freudenthal);
        int k = shape.Length;
        var expected = new HashSet<(int, int)>();
        var strides = new int[k];
        strides[k - 1] = 1;
        for (int d = k - 2; d >= 0; d--)
        {
            strides[d] = strides[d + 1] * shape[d + 1];
        }

        foreach (int[] cube in Cells(shape.Select(n => n - 1).ToArray()))
        {
            foreach (int[] order in Permutations(k))
            {
                int[] position = cube.Select((c, d) => d == k - 1 ? c : c + 1).ToArray();
                var walk = new List<int> { Flat(position, strides) };
                foreach (int axis in order)
                {
                    position[axis] += axis == k - 1 ? 1 : -1;
                    walk.Add(Flat(position, strides));
                }

                foreach (int a in walk)
                {
                    foreach (int b in walk.Where(b => b != a))
                    {
                        expected.Add((Math.Min(a, b), Math.Max(a, b)));
                    }
                }
            }
        }

        var actual = new HashSet<(int, int)>();
        var neighbors = new int[grid.StencilSize];
        for (int v = 0; v < grid.VertexCount; v++)
        {
            int count = grid.GetNeighbors(v, neighbors);
            foreach (int u in neighbors[..count])
            {
                actual.Add((Math.Min(u, v), Math.Max(u, v)));
            }
        }

        Assert.That(actual.Order(), Is.EqualTo(expected.Order()));
        Assert.That(grid.EdgeCount, Is.EqualTo(expected.Count));
    }

    private static void AssertInteriorNeighbors(GridTopology grid, int[] shape, int[] offsets)
    {
        var neighbors = new int[grid.StencilSize];
        int checkedVertices = 0;
        foreach (int[] index in Cells(shape))
        {
            if (index.Select((i, d) => i > 0 && i < shape[d] - 1).All(inside => inside))
            {
                int v = 0;
                for (int d = 0; d < shape.Length; d++)
                {
                    v = (v * shape[d]) + index[d];
                }

                int count = grid.GetNeighbors(v, neighbors);
                Assert.That(neighbors[..count].Order(), Is.EqualTo(offsets.Select(o => v + o).Order()), $"vertex {v}");
                checkedVertices++;
            }
        }

        Assert.That(checkedVertices, Is.EqualTo(shape.Aggregate(1, (p, n) => p * (n - 2))));
    }

    private static int Flat(int[] position, int[] strides) => position.Select((p, d) => p * strides[d]).Sum();

    private static IEnumerable<int[]> Cells(int[] counts)
    {
        var index = new int[counts.Length];
        long total = counts.Aggregate(1L, (p, n) => p * n);
        for (long q = 0; q < total; q++)
        {
            yield return (int[])index.Clone();
            for (int d = counts.Length - 1; d >= 0 && ++index[d] == counts[d]; d--)
            {
                index[d] = 0;
            }
        }
    }

    private static IEnumerable<int[]> Permutations(int k)
    {
        if (k == 1)
        {
            yield return [0];
            yield break;
        }

        foreach (int[] shorter in Permutations(k - 1))
        {
            for (int at = 0; at <= shorter.Length; at++)
            {
                yield return [.. shorter[..at], k - 1, .. shorter[at..]];
            }
        }
    }
}
