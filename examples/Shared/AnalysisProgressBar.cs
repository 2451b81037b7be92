using System.Diagnostics;
using LossLandscape.Topology.Torch.Analysis;

namespace LossLandscape.Topology.Examples;

/// <summary>
/// Progress of a <see cref="LandscapeAnalysis"/>: on a terminal, one bar with an ETA redrawn in place; when the
/// output is redirected (a log file, CI, a batch job), one plain line per finished stage and no carriage returns.
/// </summary>
public sealed class AnalysisProgressBar : IProgress<AnalysisProgress>
{
    private const int Width = 30;
    private readonly TextWriter _output;
    private readonly bool _live;
    private readonly Lock _lock = new();
    private readonly Stopwatch _stage = new();
    private string? _current;
    private long _lastDraw = long.MinValue / 2; // far enough back that the first update draws (no overflow)
    private bool _barShown;

    /// <summary>Creates the bar.</summary>
    /// <param name="output">Where it is drawn (the console's output).</param>
    /// <param name="live">Redraw in place; by default, when the console's output is not redirected.</param>
    public AnalysisProgressBar(TextWriter output, bool? live = null)
    {
        _output = output;
        _live = live ?? !Console.IsOutputRedirected;
    }

    /// <inheritdoc />
    public void Report(AnalysisProgress value)
    {
        if (value.Sampling is not { } s)
        {
            return;
        }

        lock (_lock)
        {
            if (value.Stage != _current)
            {
                _current = value.Stage;
                _stage.Restart();
            }

            bool finished = s.Completed == s.Total;
            if (!_live)
            {
                if (finished)
                {
                    _output.WriteLine($"  {value.Stage}: {s.Total} points in {_stage.Elapsed.TotalSeconds:F1} s");
                }

                return;
            }

            long now = Environment.TickCount64;
            if (!finished && now - _lastDraw < 200)
            {
                return;
            }

            _lastDraw = now;
            int filled = (int)Math.Round(s.Fraction * Width);
            string eta = !finished && s.Remaining is { } r ? $" ETA {r:mm\\:ss}" : string.Empty;
            _output.Write($"\r  {value.Stage,-22} [{new string('#', filled)}{new string('.', Width - filled)}] {s.Completed}/{s.Total}{eta}   ");
            _barShown = true;
            if (finished)
            {
                _output.WriteLine();
                _barShown = false;
            }
        }
    }

    /// <summary>Ends a bar left unfinished (a cancelled run) with a newline, so the next line starts clean.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (_barShown)
            {
                _output.WriteLine();
                _barShown = false;
            }
        }
    }
}
