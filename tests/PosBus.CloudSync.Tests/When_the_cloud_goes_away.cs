using PosBus.CloudSync.Tests.Support;
using PosBus.Ledger;
using PosBus.Ledger.Stores;
using PosBus.TestSupport;

namespace PosBus.CloudSync.Tests;

/// <summary>
/// Outages of a real function: this test's own Deno process (the shared one stays up for other tests), reached through
/// a relay so the lane's URL survives the restart; and a function whose database is unreachable (503 + Retry-After).
/// </summary>
public sealed class When_the_cloud_goes_away : IAsyncLifetime
{
    readonly TestLedger _ledger = new();
    LocalCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await LocalCloud.EnsureUpAsync();

    static int PortOf(LocalCloud.FunctionInstance function) => function.FunctionUrl.Port;

    [Fact]
    public async Task Rows_stay_and_back_off_while_the_function_is_down_and_drain_when_it_is_back()
    {
        var function = await _cloud.StartFunctionInstanceAsync(new Dictionary<string, string>());
        await using var relay = new TcpRelay(PortOf(function));
        await using var lane = TestLane.Create(_ledger, TestLane.Settings(relay.Url, _cloud.ServiceKey, ("CloudSync:BatchSize", "10")));
        var rows = TestMessages.Mixed("L1", lane.Time.GetUtcNow(), 25);
        await _ledger.InsertOwnAsync(rows);
        var ids = rows.Select(r => r.MessageId).ToList();

        await function.DisposeAsync(); // kill the function process
        var attempts = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var result = await lane.SyncNow.RunAsync();
            Assert.Equal(CloudSyncOutcome.TransientFailure, result.Outcome);
            var state = await _ledger.OwnAsync(rows[1].MessageId);
            attempts.Add(state.Attempts);
            Assert.Equal(LedgerStatus.PeerAck, state.Status);
            var step = 1000 * Math.Pow(2, state.Attempts - 1);
            Assert.InRange((state.NextAttemptAt!.Value - lane.Time.GetUtcNow()).TotalMilliseconds, step / 2, step);
            lane.Time.Advance(TimeSpan.FromMilliseconds(step));
        }

        Assert.Equal([1, 2, 3, 4], attempts);
        Assert.Equal(0, await _ledger.CountAsync(LedgerStatus.DeadLetter));
        Assert.Equal(25, await _ledger.CountAsync(LedgerStatus.PeerAck));
        Assert.Equal(0, await _cloud.CountAsync("pos_messages", ids));

        await using var back = await _cloud.StartFunctionInstanceAsync(new Dictionary<string, string>());
        relay.TargetPort = PortOf(back);
        lane.Time.Advance(TimeSpan.FromSeconds(16));
        var drained = await lane.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.Ok, 25, 0L), (drained.Outcome, drained.Uploaded, drained.Remaining));
        Assert.Equal(25, await _cloud.CountAsync("pos_messages", ids));
        Assert.Equal(25, await _ledger.CountAsync(LedgerStatus.CloudAck));
    }

    [Fact]
    public async Task A_function_without_its_database_answers_503_and_rows_wait_at_least_retry_after()
    {
        await using var function = await _cloud.StartFunctionInstanceAsync(new Dictionary<string, string>
        {
            ["SUPABASE_DB_URL"] = $"postgres://postgres:x@127.0.0.1:{FreePort.Next()}/postgres",
            ["POSBUS_DB_TIMEOUT_MS"] = "1000",
            ["POSBUS_RETRY_AFTER_S"] = "20",
        });
        var url = function.FunctionUrl.GetLeftPart(UriPartial.Authority);
        await using var lane = TestLane.Create(_ledger, TestLane.Settings(url, _cloud.ServiceKey));
        var rows = TestMessages.Mixed("L1", lane.Time.GetUtcNow(), 5);
        await _ledger.InsertOwnAsync(rows);

        var result = await lane.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.TransientFailure, 5), (result.Outcome, result.TransientFailures));
        Assert.StartsWith("HTTP 503", result.Error, StringComparison.Ordinal);
        var state = await _ledger.OwnAsync(rows[0].MessageId);
        Assert.Equal((LedgerStatus.PeerAck, 1), (state.Status, state.Attempts));
        Assert.Equal(lane.Time.GetUtcNow().AddSeconds(20), state.NextAttemptAt);
        Assert.Equal(CloudSyncOutcome.TransientFailure, (await lane.Status.ReadAsync()).LastOutcome);
    }

    public Task DisposeAsync()
    {
        _ledger.Dispose();
        return Task.CompletedTask;
    }
}
