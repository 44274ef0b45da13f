using System.Text.Json.Nodes;
using PosBus.Terminal.Demo;
using LocalCloud = PosBus.TestSupport.LocalCloud;

namespace PosBus.EndToEnd.Tests;

/// <summary>
/// The lane executable with its whole pipeline against the real local cloud: <c>run</c>, <c>simulate</c> beside it,
/// <c>sync-now</c> answered by the running lane, <c>status --json</c> with the cloud's keys, and Postgres holding
/// every message exactly once.
/// </summary>
public sealed class When_a_lane_runs_with_the_cloud
{
    [Fact]
    public async Task Sync_now_uploads_everything_and_status_reports_the_sync_live_and_offline()
    {
        var cloud = await LocalCloud.EnsureUpAsync();
        using var lane = new LaneDirectory($"E{Guid.NewGuid():N}"[..12]);
        var environment = lane.Environment();
        environment["SUPABASE_URL"] = cloud.Url.ToString();
        environment["SUPABASE_SERVICE_KEY"] = cloud.ServiceKey;
        // Only sync-now (and the pass at start) uploads during the test, so its answer is what the test checks.
        environment["POSBUS__CloudSync__Interval"] = "01:00:00";

        var log = Path.Combine(lane.Path, "run.log");
        await using var running = LaneProcess.Start(TerminalExecutable.DllPath, ["run"], environment, log);
        using var http = new LaneHttp(lane.Port);
        await http.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), () => ReadLog(log));

        var simulate = await LaneRun.RunAsync(environment, "simulate", "--events", "15", "--seed", "11");
        Assert.True(simulate.ExitCode == 0, simulate.StandardError);

        var sync = await LaneRun.RunAsync(environment, "sync-now", "--json");
        Assert.True(sync.ExitCode == 0, sync.StandardOutput + sync.StandardError);
        var answer = JsonNode.Parse(sync.StandardOutput)!;
        Assert.Equal("the running lane", answer["ranBy"]!.GetValue<string>());
        Assert.Equal("ok", answer["result"]!["outcome"]!.GetValue<string>());

        var live = JsonNode.Parse((await LaneRun.RunAsync(environment, "status", "--json")).StandardOutput)!;
        var messages = live["lastSequence"]!.GetValue<long>();
        Assert.Equal("lane", live["source"]!.GetValue<string>());
        Assert.True(messages >= 15 * 2, $"15 sales make at least 30 messages; the ledger holds {messages}");
        Assert.Equal(messages, live["counts"]!["cloud_ack"]!.GetValue<long>());
        Assert.Equal(0, live["counts"]!["pending"]!.GetValue<long>());
        Assert.Null(live["oldestNotCloudAckedAgeSeconds"]);
        Assert.Equal("ok", live["cloud"]!["lastOutcome"]!.GetValue<string>());
        Assert.NotNull(live["cloud"]!["lastSyncAt"]);
        Assert.NotNull(live["cloud"]!["nextRunAt"]);
        Assert.IsType<JsonArray>(live["peers"]);
        Assert.IsType<JsonArray>(live["replicas"]);
        Assert.DoesNotContain(cloud.ServiceKey, live.ToJsonString(), StringComparison.Ordinal);

        Assert.Equal(messages, await CloudQueries.CountAsync(cloud.DbUrl, "select count(*) from pos_messages where terminal_id = @value", lane.TerminalId));
        Assert.Equal(15, await CloudQueries.CountAsync(cloud.DbUrl, "select count(*) from transactions where terminal_id = @value", lane.TerminalId));

        await running.StopAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, running.ExitCode);
        var offline = JsonNode.Parse((await LaneRun.RunAsync(environment, "status", "--json")).StandardOutput)!;
        Assert.Equal("database", offline["source"]!.GetValue<string>());
        Assert.Equal(messages, offline["counts"]!["cloud_ack"]!.GetValue<long>());
        Assert.Equal("ok", offline["cloud"]!["lastOutcome"]!.GetValue<string>());
        Assert.DoesNotContain(cloud.ServiceKey, File.ReadAllText(log), StringComparison.Ordinal);
    }

    static string ReadLog(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no log)";
}
