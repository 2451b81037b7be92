using SkiaSharp;

namespace LossLandscape.Topology.Plotting.Tests;

internal static class PngAssert
{
    /// <summary>Decodes a PNG and checks its size and that it shows something (many distinct colours).</summary>
    public static void HasSizeAndContent(byte[] png, int width, int height, int minimumColours = 20)
    {
        using SKBitmap bitmap = SKBitmap.Decode(png) ?? throw new AssertionException("not a decodable PNG");
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((width, height)));
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 2)
        {
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                colours.Add(bitmap.GetPixel(x, y));
            }
        }

        Assert.That(colours, Has.Count.GreaterThanOrEqualTo(minimumColours), "the picture is (nearly) blank");
    }
}
