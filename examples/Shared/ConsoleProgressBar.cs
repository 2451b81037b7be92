using LossLandscape.Topology.Torch.Sampling;

namespace LossLandscape.Topology.Examples;

/// <summary>A one-line progress bar with an ETA, redrawn in place.</summary>
public sealed class ConsoleProgressBar(string label, bool enabled) : IProgress<SamplingProgress>
{
    private DateTime _last = DateTime.MinValue;

    public void Report(SamplingProgress value)
    {
        if (!enabled || (value.Completed < value.Total && DateTime.UtcNow - _last < TimeSpan.FromMilliseconds(200)))
        {
            return;
        }

        _last = DateTime.UtcNow;
        const int Width = 30;
        int filled = (int)Math.Round(value.Fraction * Width);
        string eta = value.Remaining is { } r ? $" ETA {r:mm\\:ss}" : string.Empty;
        Console.Write($"\r  {label,-22} [{new string('#', filled)}{new string('.', Width - filled)}] {value.Completed}/{value.Total}{eta}   ");
        if (value.Completed == value.Total)
        {
            Console.WriteLine();
        }
    }
}
