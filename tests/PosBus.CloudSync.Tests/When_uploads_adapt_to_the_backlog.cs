using System.Net;
using PosBus.CloudSync.Tests.Support;
using PosBus.Ledger;
using PosBus.TestSupport;

namespace PosBus.CloudSync.Tests;

/// <summary>
/// The adaptive upload window in a whole pass: it grows against the real local cloud while a backlog remains (every
/// message still lands exactly once), and shrinks on failures and slow answers from a stub whose answers the test
/// controls (the lane's clock is fake, so "slow" is the stub advancing it).
/// </summary>
public sealed class When_uploads_adapt_to_the_backlog : IAsyncLifetime
{
    const string Key = "stub-key-5a1c";
    readonly TestLedger _ledger = new();
    readonly StubCloud _stub = new();
    LocalCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await LocalCloud.EnsureUpAsync();

    [Fact]
    public async Task A_backlog_drains_in_few_growing_requests_exactly_once_into_postgres()
    {
        await using var lane = TestLane.Create(_ledger, TestLane.Settings(_cloud.Url.ToString(), _cloud.ServiceKey));
        var rows = TestMessages.Mixed("L1", lane.Time.GetUtcNow(), 8_000);
        await _ledger.InsertOwnAsync(rows);

        var result = await lane.SyncNow.RunAsync();

        var status = await lane.Status.ReadAsync();
        // Fixed at 50 it takes 160 requests; doubling per round of answers from 50 to 1000 takes about a fifth of that.
        Assert.True(result.Requests <= 25, $"{result.Requests} requests");
        Assert.Equal((CloudSyncOutcome.Ok, 8_000, 0L), (result.Outcome, result.Uploaded, result.Remaining));
        Assert.Equal((true, 1000, 4), (status.Adaptive, status.BatchSize, status.InFlight));
        Assert.Equal(8_000, await _cloud.CountAsync("pos_messages", rows.Select(r => r.MessageId)));
        Assert.Equal(8_000, await _cloud.CountAsync("sync_log", rows.Select(r => r.MessageId)));
        Assert.Equal(8_000, await _ledger.CountAsync(LedgerStatus.CloudAck));
    }

    [Fact]
    public async Task Batches_of_one_message_still_arrive_exactly_once_and_only_the_requests_in_flight_grow()
    {
        await using var lane = TestLane.Create(_ledger, TestLane.Settings(_cloud.Url.ToString(), _cloud.ServiceKey,
            ("CloudSync:BatchSize", "1"), ("CloudSync:MaxBatchSize", "1"), ("CloudSync:MaxInFlightBatches", "1")));
        var rows = TestMessages.Mixed("L1", lane.Time.GetUtcNow(), 30);
        await _ledger.InsertOwnAsync(rows);

        var result = await lane.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.Ok, 30, 30), (result.Outcome, result.Uploaded, result.Requests));
        var status = await lane.Status.ReadAsync();
        Assert.Equal((1, 4), (status.BatchSize, status.InFlight));
        Assert.Equal(30, await _cloud.CountAsync("pos_messages", rows.Select(r => r.MessageId)));
        Assert.Equal(30, await _cloud.CountAsync("sync_log", rows.Select(r => r.MessageId)));
    }

    [Fact]
    public async Task Turned_off_it_sends_the_configured_batch_size_throughout()
    {
        await using var lane = Stubbed(("CloudSync:Adaptive", "false"));
        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", lane.Time.GetUtcNow(), 400));

        var result = await lane.SyncNow.RunAsync();

        Assert.Equal((400, 100), (result.Uploaded, result.Requests));
        Assert.All(_stub.Requests, r => Assert.Equal(4, r.MessageIds.Count));
        var status = await lane.Status.ReadAsync();
        Assert.Equal((false, 4, 2), (status.Adaptive, status.BatchSize, status.InFlight));
    }

    [Fact]
    public async Task A_transient_failure_halves_what_it_had_grown_to_and_the_next_pass_starts_there()
    {
        await using var lane = Stubbed();
        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", lane.Time.GetUtcNow(), 400));
        _stub.Respond = r => r.MessageIds.Count >= 32 ? StubCloud.Json(HttpStatusCode.ServiceUnavailable, new { error = "database unavailable" }) : null;

        var failed = await lane.SyncNow.RunAsync();

        Assert.Equal(CloudSyncOutcome.TransientFailure, failed.Outcome);
        Assert.Equal([4, 8, 16, 32], _stub.Requests.Select(r => r.MessageIds.Count).Distinct());
        // Halved to 16; the batch sent after it was answered and grew it by the starting size only, not back to 32.
        Assert.Equal([4, 8, 16, 32, 16], _stub.Requests.Select(r => r.MessageIds.Count));
        Assert.Equal(20, (await lane.Status.ReadAsync()).BatchSize);

        _stub.Respond = null;
        _stub.Requests.Clear();
        lane.Time.Advance(TimeSpan.FromMinutes(5)); // past the failed rows' backoff
        await lane.SyncNow.RunAsync();

        Assert.Equal(20, _stub.Requests.First().MessageIds.Count);
    }

    [Fact]
    public async Task Answers_slower_than_the_target_shrink_it_to_where_they_are_fast()
    {
        await using var lane = Stubbed(("CloudSync:TargetLatency", "00:00:01"));
        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", lane.Time.GetUtcNow(), 600));
        // Answers take 100 ms per message beyond 20: fast at 16, slow at 32.
        _stub.Respond = r =>
        {
            lane.Time.Advance(TimeSpan.FromMilliseconds(100 * Math.Max(0, r.MessageIds.Count - 20)));
            return null;
        };

        var result = await lane.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.Ok, 600), (result.Outcome, result.Uploaded));
        var sizes = _stub.Requests.Select(r => r.MessageIds.Count).ToList();
        // Unhindered it would reach 64; it falls back to 16 after each slow 32.
        Assert.Equal(32, sizes.Max());
        Assert.Contains(16, sizes.Skip(sizes.IndexOf(32) + 2));
        Assert.InRange((await lane.Status.ReadAsync()).BatchSize, 16, 32);
    }

    [Fact]
    public async Task A_413_shrinks_the_batch_to_what_the_function_takes()
    {
        await using var lane = Stubbed();
        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", lane.Time.GetUtcNow(), 400));
        _stub.Respond = r => r.MessageIds.Count > 20 ? StubCloud.Json(HttpStatusCode.RequestEntityTooLarge, new { error = "more than 20 messages in one batch" }) : null;

        var result = await lane.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.Ok, 400, 0), (result.Outcome, result.Uploaded, result.Invalid));
        var sizes = _stub.Requests.Select(r => r.MessageIds.Count).ToList();
        Assert.True(sizes.Count(s => s > 20) <= 3, string.Join(",", sizes)); // each refusal halves the window, which then stays below the limit
        Assert.Equal(16, (await lane.Status.ReadAsync()).BatchSize);
    }

    TestLane Stubbed(params (string, string?)[] more) => TestLane.Create(_ledger, TestLane.Settings("http://cloud.test", Key,
        [("CloudSync:BatchSize", "4"), ("CloudSync:MaxInFlightBatches", "2"), ("CloudSync:MaxBatchSize", "64"), ("CloudSync:MaxInFlightLimit", "3"), .. more]), _stub);

    public Task DisposeAsync()
    {
        _ledger.Dispose();
        return Task.CompletedTask;
    }
}
