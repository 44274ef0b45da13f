using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PosBus.CloudSync;
using PosBus.CloudSync.Cli;
using PosBus.Ledger.Lane;
using PosBus.Terminal.Hosting;
using PosBus.Operations.Status;

namespace PosBus.Terminal.Cli;

/// <summary>
/// <c>sync-now [--json] [--here]</c>: asks the running lane for a cloud pass at once; when no lane listens (or with
/// <c>--here</c>) runs one pass in this process. Exit code: 0 ok/partial, 1 transient failure, 3 configuration.
/// </summary>
public static class SyncNowVerb
{
    public static async Task<int> ExecuteAsync(CliArguments arguments, string[] args)
    {
        var asJson = arguments.Has("--json");
        var here = arguments.Has("--here");
        arguments.RejectUnknown();

        using var host = LaneHost.CreateToolBuilder(args, LaneMode.Tool).Build();
        LaneStartup.ValidateOptions(host.Services);
        var terminalId = host.Services.GetRequiredService<IOptions<LaneOptions>>().Value.TerminalId;

        JsonObject? answer = null;
        if (!here)
        {
            using var lane = RunningLane.For(host.Services, TimeSpan.FromMinutes(2));
            answer = await lane.TrySyncNowAsync(CancellationToken.None);
        }

        var ranBy = answer is null ? "this process" : "the running lane";
        if (answer is null)
        {
            await host.Services.GetRequiredService<LaneDatabaseInitializer>().InitializeAsync(CancellationToken.None);
            var local = await host.Services.GetRequiredService<CloudSyncNow>().RunAsync(CancellationToken.None);
            answer = new JsonObject { ["terminalId"] = terminalId, ["result"] = StatusJson.From(local) };
        }

        answer["ranBy"] = ranBy;
        var result = answer["result"].Deserialize<CloudSyncResult>(StatusJson.Options)
            ?? throw new CliException("The lane's sync-now answer carried no result.");
        Console.WriteLine(asJson ? JsonSerializer.Serialize(answer, StatusJson.Indented) : Describe(result, ranBy));
        return result.Outcome switch
        {
            CloudSyncOutcome.Ok or CloudSyncOutcome.Partial => LaneCli.ExitOk,
            CloudSyncOutcome.ConfigurationError or CloudSyncOutcome.Disabled => LaneCli.ExitConfiguration,
            _ => LaneCli.ExitFailed,
        };
    }

    static string Describe(CloudSyncResult r, string ranBy) =>
        $"cloud sync ({ranBy}): {r.Outcome} — uploaded {r.Uploaded}, duplicates {r.Duplicates}, invalid {r.Invalid}, " +
        $"transient failures {r.TransientFailures}, remaining {r.Remaining} ({r.BackingOff} backing off), " +
        $"{(r.FinishedAt - r.StartedAt).TotalSeconds:0.0} s{(r.Error is null ? "" : $"; {r.Error}")}";
}
