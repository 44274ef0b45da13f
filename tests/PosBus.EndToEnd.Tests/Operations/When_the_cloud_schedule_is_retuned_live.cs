using PosBus.TestSupport;

namespace PosBus.EndToEnd.Tests.Operations;

/// <summary>
/// Live retuning without a restart: the running lane follows an edit of <c>settings.local.json</c> (the upload schedule
/// goes from hourly to every second and sales reach the cloud with nobody calling sync-now), and refuses an invalid edit
/// with a log line naming the key while the previous values keep working.
/// </summary>
public sealed class When_the_cloud_schedule_is_retuned_live
{
    static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_valid_interval_takes_effect_and_an_invalid_batch_size_is_refused()
    {
        await using var lane = await CloudLane.StartAsync("T");
        // The pass at start has run (nothing to send); from now on the next scheduled pass is an hour away.
        Assert.True(await Eventually.TrueAsync(async () => (await lane.Http.StatusAsync())["cloud"]!["lastSyncAt"] is not null, Within), lane.ReadLog());
        await lane.SimulateAsync(sales: 3, seed: 41);
        var hourly = await lane.Http.StatusAsync();
        Assert.Equal(0, hourly["counts"]!["cloud_ack"]!.GetValue<long>());
        Assert.True(hourly["cloud"]!["nextRunAt"]!.GetValue<DateTimeOffset>() - DateTimeOffset.UtcNow > TimeSpan.FromMinutes(50), hourly.ToJsonString());

        await File.WriteAllTextAsync(lane.LocalSettingsPath, """{ "CloudSync": { "Interval": "00:00:01" } }""");

        Assert.True(await Eventually.TrueAsync(async () => await PendingAsync(lane) == 0, Within), lane.ReadLog());
        Assert.Contains("Cloud sync schedule changed from every 01:00:00 to every 00:00:01", lane.ReadLog(), StringComparison.Ordinal);
        var next = (await lane.Http.StatusAsync())["cloud"]!["nextRunAt"]!.GetValue<DateTimeOffset>();
        Assert.True(next - DateTimeOffset.UtcNow < TimeSpan.FromMinutes(1), $"next run {next:o} still follows the hourly schedule");

        await File.WriteAllTextAsync(lane.LocalSettingsPath, """{ "CloudSync": { "Interval": "00:00:01", "BatchSize": 0 } }""");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(lane.ReadLog().Contains("CloudSync:BatchSize must be between 1 and 10000; got 0", StringComparison.Ordinal)), Within),
            lane.ReadLog());
        Assert.Contains("Configuration change rejected, the previous value stays", lane.ReadLog(), StringComparison.Ordinal);

        // Batch size 0 would upload nothing; the old batch size and the one-second schedule still carry new sales up.
        await lane.SimulateAsync(sales: 2, seed: 42);
        Assert.True(await Eventually.TrueAsync(async () => await PendingAsync(lane) == 0, Within), lane.ReadLog());
        Assert.True((await lane.Http.GetAsync("/health/ready")).Status == 200, "the lane must stay ready after a refused edit");
    }

    static async Task<long> PendingAsync(CloudLane lane)
    {
        var status = await lane.Http.StatusAsync();
        return status["counts"]!["pending"]!.GetValue<long>() + status["counts"]!["peer_ack"]!.GetValue<long>();
    }
}
