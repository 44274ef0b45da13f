using System.Diagnostics;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>This test assembly run as a child process (<c>dotnet PosBus.Outbox.Tests.dll verb ...</c>), for tests that kill it.</summary>
public static class TestAssemblyProcess
{
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(TestAssemblyProcess).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MASSTRANSIT_USAGE_TELEMETRY"] = "false";
        return Process.Start(start)!;
    }
}
