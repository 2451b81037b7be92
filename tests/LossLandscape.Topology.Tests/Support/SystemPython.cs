using System.Diagnostics;

namespace LossLandscape.Topology.Tests.Support;

/// <summary>Runs Debian's /usr/bin/python3 (the one that sees python3-gudhi, python3-numpy and python3-vtk9).</summary>
internal static class SystemPython
{
    public const string Path = "/usr/bin/python3";

    /// <summary>Why <paramref name="module"/> cannot be imported, or null when it can.</summary>
    public static string? Unavailable(string module, string debianPackage)
    {
        if (!File.Exists(Path))
        {
            return $"{Path} not found; install {debianPackage} (apt-get install {debianPackage})";
        }

        (int code, string output) = Run("-c", $"import {module}");
        return code == 0 ? null : $"{module} is not importable by {Path} ({output.Trim()}); install {debianPackage}";
    }

    /// <summary>Runs a script (given as text) with arguments; returns the exit code and stdout (plus stderr on failure).</summary>
    public static (int Code, string Output) RunScript(string script, params string[] arguments)
    {
        string file = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, script);
            return Run([file, .. arguments]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static (int Code, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, process.ExitCode == 0 ? stdout : stdout + stderr.Result);
    }
}
