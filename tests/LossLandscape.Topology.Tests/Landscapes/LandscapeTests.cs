using LossLandscape.Topology.Landscapes;

namespace LossLandscape.Topology.Tests.Landscapes;

public class LandscapeTests
{
    [Test]
    public void CanBuildFromTwoDimensionalArrayInRowMajorOrder()
    {
        var landscape = Landscape.FromGrid(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } },
            LandscapeAxis.Linspace("a", -1, 1, 2), LandscapeAxis.Linspace("b", 0, 1, 3));
        Assert.Multiple(() =>
        {
            Assert.That(landscape.Values.ToArray(), Is.EqualTo(new double[] { 1, 2, 3, 4, 5, 6 }));
            Assert.That(landscape.Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
            Assert.That(landscape.GetValue(1, 2), Is.EqualTo(6));
            Assert.That(landscape.GetCoordinates(5), Is.EqualTo(new[] { 1.0, 1.0 }));
            Assert.That(landscape.GetCoordinates(1), Is.EqualTo(new[] { -1.0, 0.5 }));
            Assert.That(landscape.DescribeVertex(4), Is.EqualTo("grid index (1, 1)"));
        });
    }

    [Test]
    public void CanWidenSinglePrecisionValues()
    {
        var landscape = Landscape.FromGrid(new float[,] { { 0.1f, 2 } });
        Assert.That(landscape.Values[0], Is.EqualTo((double)0.1f));
        Assert.That(Landscape.FromGrid([1f, 2f, 3f, 4f], [2, 2]).GetValue(1, 0), Is.EqualTo(3));
    }

    [Test]
    public void CanSampleFunctionOnKDimensionalGrid()
    {
        var landscape = Landscape.FromFunction(p => p[0] + (10 * p[1]) + (100 * p[2]),
            LandscapeAxis.Indices("x", 2), LandscapeAxis.Indices("y", 3), LandscapeAxis.Indices("z", 4));
        var index = new int[3];
        landscape.GetGridIndex(23, index);
        Assert.Multiple(() =>
        {
            Assert.That(landscape.Count, Is.EqualTo(24));
            Assert.That(landscape.GetValue(1, 2, 3), Is.EqualTo(321));
            Assert.That(index, Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(landscape.FlatIndex(1, 2, 3), Is.EqualTo(23));
        });
    }

    [Test]
    public void CanMatchNumPyLinspace()
    {
        var axis = LandscapeAxis.Linspace("a", -1, 1, 21);
        Assert.Multiple(() =>
        {
            Assert.That(axis[0], Is.EqualTo(-1));
            Assert.That(axis[10], Is.EqualTo(0).Within(1e-16));
            Assert.That(axis[20], Is.EqualTo(1));
            Assert.That(axis[3], Is.EqualTo(-1 + (3 * 0.1)));
        });
    }

    [Test]
    public void CanHoldScatteredPoints()
    {
        var landscape = Landscape.FromPoints(new double[,] { { 0, 1, 2 }, { 3, 4, 5 } }, [7.0, 8.0]);
        Assert.Multiple(() =>
        {
            Assert.That(landscape.IsGrid, Is.False);
            Assert.That(landscape.Dimension, Is.EqualTo(3));
            Assert.That(landscape.GetCoordinates(1), Is.EqualTo(new[] { 3.0, 4, 5 }));
            Assert.That(landscape.DescribeVertex(1), Is.EqualTo("point 1"));
        });
    }

    [Test]
    public void FromGridFailsOnShapeMismatch()
    {
        var ex = Assert.Throws<ArgumentException>(() => Landscape.FromGrid([1.0, 2, 3], [2, 2]));
        Assert.That(ex!.Message, Does.Contain("holds 4 values but 3 were given"));
        Assert.That(Assert.Throws<ArgumentException>(() => Landscape.FromGrid(new double[2, 2], LandscapeAxis.Indices("a", 3), LandscapeAxis.Indices("b", 2)))!.Message,
            Does.Contain("Axis 0 ('a') has 3 coordinates"));
        Assert.Throws<ArgumentException>(() => Landscape.FromGrid(new double[0, 3]));
    }

    [Test]
    public void FromPointsFailsOnNonFiniteCoordinate()
    {
        var ex = Assert.Throws<ArgumentException>(() => Landscape.FromPoints(new double[,] { { 0, 1 }, { double.NaN, 1 } }, [1.0, 2.0]));
        Assert.That(ex!.Message, Does.Contain("Coordinate 0 of point 1"));
    }

    [Test]
    public void GetValueFailsOnIndexOutOfRange()
    {
        var landscape = Landscape.FromGrid(new double[2, 3]);
        Assert.That(Assert.Throws<ArgumentException>(() => landscape.GetValue(1, 3))!.Message, Does.Contain("Index 3 on axis 1"));
        Assert.Throws<ArgumentException>(() => landscape.GetValue(1));
    }
}
