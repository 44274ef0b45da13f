using System.Text.Json;
using PosBus.Terminal.Hosting;
using PosBus.Operations.Status;

namespace PosBus.Terminal.Cli;

/// <summary>
/// <c>status [--json] [--offline]</c>: asks the running lane for its live status (peer links included); when no lane
/// listens, or with <c>--offline</c>, reads the lane's database directly. Works whether or not the lane runs.
/// </summary>
public static class StatusVerb
{
    public static async Task<int> ExecuteAsync(CliArguments arguments, string[] args)
    {
        var asJson = arguments.Has("--json");
        var offline = arguments.Has("--offline");
        arguments.RejectUnknown();

        using var host = LaneHost.CreateToolBuilder(args, LaneMode.Tool).Build();
        LaneStartup.ValidateOptions(host.Services);
        var report = offline ? null : await FromRunningLaneAsync(host.Services);
        if (report is null)
        {
            await host.Services.GetRequiredService<LaneDatabaseInitializer>().InitializeAsync(CancellationToken.None);
            report = await host.Services.GetRequiredService<LaneStatusReporter>().ReadAsync(CancellationToken.None);
            report.Status["source"] = "database";
        }

        Console.Write(asJson ? JsonSerializer.Serialize(report.ToJson(), StatusJson.Indented) + Environment.NewLine : report.ToText());
        return LaneCli.ExitOk;
    }

    static async Task<LaneStatusReport?> FromRunningLaneAsync(IServiceProvider services)
    {
        using var lane = RunningLane.For(services, TimeSpan.FromSeconds(5));
        var status = await lane.TryGetStatusAsync(CancellationToken.None);
        if (status is null)
        {
            return null;
        }

        status["source"] = "lane";
        return new LaneStatusReport(status);
    }
}
