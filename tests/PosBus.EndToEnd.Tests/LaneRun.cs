using System.Diagnostics;
using System.Text;

namespace PosBus.EndToEnd.Tests;

/// <summary>Runs one lane verb to completion as a separate process and captures what it printed.</summary>
public static class LaneRun
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Local settings files (.env, settings.local.json) are read from the lane's config directory.
            WorkingDirectory = environment.TryGetValue("POSBUS_CONFIG_DIR", out var dir) ? dir : Path.GetTempPath(),
        };
        start.ArgumentList.Add(TerminalExecutable.DllPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        Directory.CreateDirectory(start.WorkingDirectory);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
