using LossLandscape.Topology.Examples;
using LossLandscape.Topology.Torch.Analysis;
using LossLandscape.Topology.Torch.Sampling;

namespace LossLandscape.Topology.Examples.Tests;

public class AnalysisProgressBarTests
{
    private static void Feed(AnalysisProgressBar bar)
    {
        foreach (string stage in new[] { "random seed 0", "Hessian directions" })
        {
            for (int done = 0; done <= 50; done++)
            {
                bar.Report(new AnalysisProgress(stage, 1, 2, new SamplingProgress(done, 50, TimeSpan.FromSeconds(done), TimeSpan.FromSeconds(50 - done))));
            }
        }

        bar.Report(new AnalysisProgress("done", 2, 2, null));
    }

    [Test]
    public void WritesOnePlainLinePerStageWhenRedirected()
    {
        var output = new StringWriter();
        Feed(new AnalysisProgressBar(output, live: false));
        string text = output.ToString();
        Assert.That(text, Does.Not.Contain("\r"), "a log file gets no carriage returns");
        string[] lines = text.TrimEnd().Split(Environment.NewLine);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Does.StartWith("  random seed 0: 50 points in "));
        Assert.That(lines[1], Does.StartWith("  Hessian directions: 50 points in "));
    }

    [Test]
    public void RedrawsOneBarInPlaceOnATerminal()
    {
        var output = new StringWriter();
        var bar = new AnalysisProgressBar(output, live: true);
        Feed(bar);
        bar.Finish();
        string text = output.ToString();
        Assert.That(text, Does.Contain("\r  random seed 0").And.Contain("[##############################] 50/50"));
        Assert.That(text.Split(Environment.NewLine).Length - 1, Is.EqualTo(2), "one finished line per stage, and Finish adds none after a finished bar");
    }

    [Test]
    public void StatusLinesStayOffLogFiles()
    {
        var log = new StringWriter();
        var quiet = new StatusLine(log, live: false);
        quiet.Update("  training step 1/10");
        quiet.End();
        Assert.That(log.ToString(), Is.Empty, "redirected output gets no status lines");

        var terminal = new StringWriter();
        var live = new StatusLine(terminal, live: true);
        live.Update("  training step 1/10");
        live.End();
        Assert.That(terminal.ToString(), Is.EqualTo("\r  training step 1/10   " + Environment.NewLine));
    }
}
