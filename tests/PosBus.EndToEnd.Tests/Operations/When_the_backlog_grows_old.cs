using PosBus.TestSupport;

namespace PosBus.EndToEnd.Tests.Operations;

/// <summary>
/// Backlog alarms in a running lane: when the oldest message no peer holds is older than the threshold, one warning is
/// logged (not one per check), status and metrics show the alarm, and when the cloud takes the backlog it clears once.
/// </summary>
public sealed class When_the_backlog_grows_old
{
    static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task One_warning_per_crossing_shown_in_status_and_metrics_then_cleared()
    {
        await using var lane = await CloudLane.StartAsync("A", """
            { "CloudSync": { "Interval": "01:00:00" },
              "Alarms": { "PendingAgeThreshold": "00:00:02", "NotInCloudAgeThreshold": "01:00:00", "CheckInterval": "00:00:00.2" } }
            """);
        await lane.SimulateAsync(sales: 2, seed: 71);

        Assert.True(await Eventually.TrueAsync(async () => await AlarmActiveAsync(lane, "not_peer_acked"), Within), lane.ReadLog());
        Assert.False(await AlarmActiveAsync(lane, "not_in_cloud"));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Raised(lane) == 1), Within), lane.ReadLog());
        var metrics = (await lane.Http.GetAsync("/metrics")).Body;
        Assert.Contains("posbus_alarm_active{alarm=\"not_peer_acked\"} 1", metrics, StringComparison.Ordinal);

        // Many more checks run while the alarm stays raised: still the one warning.
        Assert.True(await Eventually.TrueAsync(async () => (await lane.Http.StatusAsync())["alarms"]![0]!["ageSeconds"]!.GetValue<double>() > 5, Within));
        Assert.Equal(1, Raised(lane));

        Assert.Equal(0, (await lane.RunAsync("sync-now")).ExitCode);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(lane.ReadLog().Contains("Backlog alarm not_peer_acked cleared", StringComparison.Ordinal)), Within), lane.ReadLog());
        Assert.False(await AlarmActiveAsync(lane, "not_peer_acked"));
        Assert.Contains("posbus_alarm_active{alarm=\"not_peer_acked\"} 0", (await lane.Http.GetAsync("/metrics")).Body, StringComparison.Ordinal);
        Assert.Equal(1, Raised(lane));
    }

    static int Raised(CloudLane lane) => lane.ReadLog().Split("Backlog alarm not_peer_acked: the oldest waiting message").Length - 1;

    static async Task<bool> AlarmActiveAsync(CloudLane lane, string name) =>
        (await lane.Http.StatusAsync())["alarms"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == name)!["active"]!.GetValue<bool>();
}
