namespace LossLandscape.Topology.Examples;

/// <summary>
/// One line of live status (training step and loss): redrawn in place on a terminal, at most five times a second;
/// when the output is redirected, nothing (the caller logs the outcome as a plain line).
/// </summary>
public sealed class StatusLine(TextWriter output, bool? live = null)
{
    private readonly bool _live = live ?? !Console.IsOutputRedirected;
    private long _lastDraw = long.MinValue / 2; // far enough back that the first update draws (no overflow)
    private bool _shown;

    /// <summary>Shows <paramref name="text"/> in place of the previous status.</summary>
    public void Update(string text)
    {
        long now = Environment.TickCount64;
        if (!_live || now - _lastDraw < 200)
        {
            return;
        }

        _lastDraw = now;
        output.Write($"\r{text}   ");
        _shown = true;
    }

    /// <summary>Ends the status line (a newline on a terminal), so the next output starts on its own line.</summary>
    public void End()
    {
        if (_shown)
        {
            output.WriteLine();
            _shown = false;
        }
    }
}
