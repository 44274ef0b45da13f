using PosBus.EndToEnd.Tests.ConsumerApp;
using PosBus.Terminal.Demo;
using PosBus.TestSupport;

namespace PosBus.EndToEnd.Tests;

/// <summary>
/// Sidecar mode: <c>posbus run</c> syncs a lane database that POS app processes (a host on <c>AddPosBus</c> with a
/// consumer) also use. Exactly one process delivers the ledger to consumers (the holder of the delivery lease); the lane
/// process, with no consumers, runs no delivery loop; every message is consumed once; and when the delivering app is
/// killed (-9), the app standing by takes delivery over within the lease time.
/// </summary>
public sealed class When_an_app_and_the_lane_share_a_database
{
    static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task One_process_delivers_each_message_once_and_a_standby_takes_over_after_a_kill()
    {
        using var lane = new LaneDirectory("L1");
        var environment = lane.Environment();
        environment["POSBUS__Outbox__DeliveryLeaseTime"] = "00:00:03";
        await using var run = LaneProcess.Start(TerminalExecutable.DllPath, ["run"], environment, Path.Combine(lane.Path, "run.log"));
        using var http = new LaneHttp(lane.Port);
        await http.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), () => File.ReadAllText(Path.Combine(lane.Path, "run.log")));
        await using var first = StockAppProcess.Start(lane, environment, "app-1");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(StockAppProcess.ReadLog(lane, "app-1").Contains("owns local delivery", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60)), StockAppProcess.ReadLog(lane, "app-1"));
        await using var second = StockAppProcess.Start(lane, environment, "app-2");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(StockAppProcess.ReadLog(lane, "app-2").Contains("stands by", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60)), StockAppProcess.ReadLog(lane, "app-2"));

        Assert.Equal(0, (await LaneRun.RunAsync(environment, "simulate", "--events", "20", "--seed", "21")).ExitCode);
        await WaitUntilEveryAdjustmentIsConsumedAsync(lane);
        Assert.Equal(1, await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(DISTINCT ConsumedBy) FROM store_stock_movements"));
        Assert.Equal(first.Id, await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT MIN(ConsumedBy) FROM store_stock_movements"));

        await first.KillAsync();
        var killedAt = DateTime.UtcNow;
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(StockAppProcess.ReadLog(lane, "app-2").Contains("owns local delivery", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100)), StockAppProcess.ReadLog(lane, "app-2"));
        var tookOverAfter = DateTime.UtcNow - killedAt;
        // The lease runs out at most one lease time after its last renewal; the standby looks every third of it.
        Assert.True(tookOverAfter < LeaseTime + (LeaseTime / 3) + TimeSpan.FromSeconds(2), $"took over after {tookOverAfter.TotalSeconds:F1} s");

        Assert.Equal(0, (await LaneRun.RunAsync(environment, "simulate", "--events", "20", "--seed", "22")).ExitCode);
        await WaitUntilEveryAdjustmentIsConsumedAsync(lane);
        Assert.True(await LedgerQueries.ScalarAsync(lane.DatabasePath, $"SELECT COUNT(*) FROM store_stock_movements WHERE ConsumedBy = {second.Id}") > 0);
        Assert.Contains("runs no local delivery", File.ReadAllText(Path.Combine(lane.Path, "run.log")), StringComparison.Ordinal);
        Assert.False(run.HasExited, "the lane process stopped");
    }

    /// <summary>Waits until every own stock adjustment was consumed, then checks none was consumed twice.</summary>
    static async Task WaitUntilEveryAdjustmentIsConsumedAsync(LaneDirectory lane)
    {
        var adjustments = await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE topic = 'inventory'");
        var consumed = await Eventually.TrueAsync(
            async () => await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(DISTINCT MessageId) FROM store_stock_movements") == adjustments,
            TimeSpan.FromSeconds(60));
        Assert.True(consumed, StockAppProcess.ReadLog(lane, "app-2"));
        Assert.Equal(adjustments, await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM store_stock_movements"));
    }
}
