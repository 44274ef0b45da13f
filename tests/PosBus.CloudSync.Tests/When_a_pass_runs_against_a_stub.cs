using System.Net;
using PosBus.CloudSync.Tests.Support;
using PosBus.Ledger;
using PosBus.Ledger.Stores;

namespace PosBus.CloudSync.Tests;

/// <summary>Pass logic that needs exact control of the answers (splitting, ordering, backoff timing): a stub function.</summary>
public sealed class When_a_pass_runs_against_a_stub : IAsyncLifetime
{
    const string Key = "stub-key-8d2e";
    readonly TestLedger _ledger = new();
    readonly StubCloud _cloud = new();
    TestLane _lane = null!;

    DateTimeOffset Now => _lane.Time.GetUtcNow();

    public Task InitializeAsync()
    {
        _lane = Lane();
        return Task.CompletedTask;
    }

    TestLane Lane(params (string, string?)[] more) =>
        TestLane.Create(_ledger, TestLane.Settings("http://cloud.test", Key, [("CloudSync:BatchSize", "4"), .. more]), _cloud);

    [Fact]
    public async Task Sends_transactions_first_then_the_rest_in_sequence_order()
    {
        var rows = TestMessages.Mixed("L1", Now, 9);
        await _ledger.InsertOwnAsync(rows);

        var result = await _lane.SyncNow.RunAsync();

        var sent = _cloud.Requests.SelectMany(r => r.MessageIds).ToList();
        var expected = rows.Where(r => r.Topic == "transaction").Concat(rows.Where(r => r.Topic != "transaction")).Select(r => r.MessageId);
        Assert.Equal(expected, sent);
        Assert.Equal((CloudSyncOutcome.Ok, 9, 0L), (result.Outcome, result.Uploaded, result.Remaining));
        Assert.Equal(9, await _ledger.CountAsync(LedgerStatus.CloudAck));
        Assert.Equal("L1", (await _ledger.OwnAsync(rows[0].MessageId)).CloudAckedBy);
    }

    [Fact]
    public async Task Keeps_several_batches_in_flight_and_still_drains_exactly()
    {
        await using var lane = Lane(("CloudSync:BatchSize", "3"), ("CloudSync:MaxInFlightBatches", "4"));
        var rows = TestMessages.Mixed("L1", Now, 50);
        await _ledger.InsertOwnAsync(rows);

        var result = await lane.SyncNow.RunAsync();

        Assert.Equal(50, result.Uploaded);
        Assert.Equal(50, _cloud.Requests.SelectMany(r => r.MessageIds).Distinct().Count());
        Assert.Equal(50, await _ledger.CountAsync(LedgerStatus.CloudAck));
    }

    [Fact]
    public async Task An_invalid_message_is_dead_lettered_and_the_rest_is_acked()
    {
        var rows = TestMessages.Mixed("L1", Now, 4);
        await _ledger.InsertOwnAsync(rows);
        var bad = rows[2].MessageId;
        _cloud.Respond = r => StubCloud.Results(r.MessageIds.Select(id => (id, id == bad ? "invalid" : "inserted", id == bad ? "data.totalMinor wrong" : null)));

        var result = await _lane.SyncNow.RunAsync();

        Assert.Equal((3, 1), (result.Uploaded, result.Invalid));
        var state = await _ledger.OwnAsync(bad);
        Assert.Equal((LedgerStatus.DeadLetter, "data.totalMinor wrong"), (state.Status, state.LastError));
        Assert.Equal(3, await _ledger.CountAsync(LedgerStatus.CloudAck));
    }

    [Fact]
    public async Task A_413_halves_the_batch_until_it_fits()
    {
        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", Now, 4));
        _cloud.Respond = r => r.MessageIds.Count > 1 ? StubCloud.Json(HttpStatusCode.RequestEntityTooLarge, new { error = "too big" }) : null;

        var result = await _lane.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.Ok, 4), (result.Outcome, result.Uploaded));
        Assert.Equal([4, 2, 1, 1, 2, 1, 1], _cloud.Requests.Select(r => r.MessageIds.Count));
    }

    [Fact]
    public async Task A_400_bisects_down_to_the_one_unreadable_message()
    {
        var rows = TestMessages.Mixed("L1", Now, 4);
        await _ledger.InsertOwnAsync(rows);
        var poison = rows[3].MessageId;
        _cloud.Respond = r => r.MessageIds.Contains(poison) ? StubCloud.Json(HttpStatusCode.BadRequest, new { error = "body is not valid JSON" }) : null;

        var result = await _lane.SyncNow.RunAsync();

        Assert.Equal((3, 1), (result.Uploaded, result.Invalid));
        var state = await _ledger.OwnAsync(poison);
        Assert.Equal(LedgerStatus.DeadLetter, state.Status);
        Assert.Contains("HTTP 400", state.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repeatable_refusal_bisects_at_once_lets_the_rest_through_and_dead_letters_the_message_on_its_third_failure()
    {
        var rows = TestMessages.Mixed("L1", Now, 8);
        await _ledger.InsertOwnAsync(rows);
        var poison = rows[5].MessageId;
        _cloud.Respond = r => r.MessageIds.Contains(poison)
            ? StubCloud.Json(HttpStatusCode.InternalServerError, new { error = "database refused the batch: violates check constraint \"c\"", sqlstate = "23514" })
            : null;

        var first = await _lane.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.Ok, 7, 0, 1), (first.Outcome, first.Uploaded, first.Invalid, first.RepeatableFailures));
        Assert.Equal([1, 1, 2, 2, 4, 4], _cloud.Requests.Select(r => r.MessageIds.Count).Order()); // two batches, one bisected
        var state = await _ledger.OwnAsync(poison);
        Assert.Equal((LedgerStatus.PeerAck, 1), (state.Status, state.Attempts));
        Assert.Contains("attempt 1 of 3", state.LastError, StringComparison.Ordinal);
        Assert.Contains("sqlstate 23514", first.Error, StringComparison.Ordinal);
        Assert.Contains(_lane.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("sqlstate 23514", StringComparison.Ordinal));

        _lane.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await _lane.SyncNow.RunAsync()).RepeatableFailures);
        _lane.Time.Advance(TimeSpan.FromMinutes(1));
        var third = await _lane.SyncNow.RunAsync();

        Assert.Equal((1, 0), (third.Invalid, third.RepeatableFailures));
        state = await _ledger.OwnAsync(poison);
        Assert.Equal((LedgerStatus.DeadLetter, 3), (state.Status, state.Attempts));
        Assert.Equal("the cloud's database refused it on its own, attempt 3 of 3: HTTP 500 sqlstate 23514: database refused the batch: violates check constraint \"c\"", state.LastError);
        Assert.Equal(7, await _ledger.CountAsync(LedgerStatus.CloudAck));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "42501")]
    [InlineData(HttpStatusCode.InternalServerError, null)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "23514")]
    public async Task An_outage_never_dead_letters_however_often_it_fails(HttpStatusCode status, string? sqlState)
    {
        await using var lane = Lane(("CloudSync:PoisonAfterFailures", "1"));
        var rows = TestMessages.Mixed("L1", Now, 1);
        await _ledger.InsertOwnAsync(rows);
        _cloud.Respond = _ => StubCloud.Json(status, new { error = "down", sqlstate = sqlState });

        for (var pass = 0; pass < 5; pass++)
        {
            Assert.Equal(CloudSyncOutcome.TransientFailure, (await lane.SyncNow.RunAsync()).Outcome);
            lane.Time.Advance(TimeSpan.FromMinutes(10));
        }

        var state = await _ledger.OwnAsync(rows[0].MessageId);
        Assert.Equal((LedgerStatus.PeerAck, 5), (state.Status, state.Attempts));
        Assert.Equal(5, _cloud.Requests.Count); // one request a pass: an outage is not a message's fault, nothing is split
    }

    [Fact]
    public async Task A_body_that_is_not_json_never_leaves_the_lane()
    {
        var rows = TestMessages.Mixed("L1", Now, 2).ToList();
        rows[1] = rows[1] with { Body = "{not json" };
        await _ledger.InsertOwnAsync(rows);

        var result = await _lane.SyncNow.RunAsync();

        Assert.Equal((1, 1), (result.Uploaded, result.Invalid));
        Assert.DoesNotContain(rows[1].MessageId, _cloud.Requests.SelectMany(r => r.MessageIds));
        Assert.Equal(LedgerStatus.DeadLetter, (await _ledger.OwnAsync(rows[1].MessageId)).Status);
    }

    [Fact]
    public async Task A_transient_failure_backs_rows_off_records_attempts_and_never_dead_letters()
    {
        await _lane.DisposeAsync();
        _lane = Lane(("CloudSync:MaxInFlightBatches", "1"));
        var rows = TestMessages.Mixed("L1", Now, 6);
        await _ledger.InsertOwnAsync(rows);
        _cloud.Respond = _ => StubCloud.Json(HttpStatusCode.ServiceUnavailable, new { error = "database unavailable" });

        var first = await _lane.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.TransientFailure, 1, 4), (first.Outcome, first.Requests, first.TransientFailures));
        var state = await _ledger.OwnAsync(rows[1].MessageId);
        Assert.Equal((LedgerStatus.PeerAck, 1), (state.Status, state.Attempts));
        Assert.InRange(state.NextAttemptAt!.Value, Now.AddMilliseconds(500), Now.AddMilliseconds(1000));
        Assert.Equal("HTTP 503 {\"error\":\"database unavailable\"}", state.LastError);

        // Still backing off: the next pass leaves those rows alone and only tries the two it had not reached.
        var second = await _lane.SyncNow.RunAsync();
        Assert.Equal(2, second.TransientFailures);
        Assert.Equal(1, (await _ledger.OwnAsync(rows[1].MessageId)).Attempts);

        _lane.Time.Advance(TimeSpan.FromSeconds(1));
        await _lane.SyncNow.RunAsync();
        state = await _ledger.OwnAsync(rows[1].MessageId);
        Assert.Equal(2, state.Attempts);
        Assert.InRange(state.NextAttemptAt!.Value, Now.AddMilliseconds(1000), Now.AddMilliseconds(2000));
        Assert.Equal(0, await _ledger.CountAsync(LedgerStatus.DeadLetter));

        _cloud.Respond = null;
        _lane.Time.Advance(TimeSpan.FromSeconds(2));
        var recovered = await _lane.SyncNow.RunAsync();
        Assert.Equal((CloudSyncOutcome.Ok, 6, 0L), (recovered.Outcome, recovered.Uploaded, recovered.Remaining));
        Assert.Null((await _ledger.OwnAsync(rows[1].MessageId)).LastError);
    }

    [Fact]
    public async Task Retry_after_from_the_cloud_lengthens_the_backoff()
    {
        var rows = TestMessages.Mixed("L1", Now, 1);
        await _ledger.InsertOwnAsync(rows);
        _cloud.Respond = _ =>
        {
            var response = StubCloud.Json(HttpStatusCode.TooManyRequests, new { error = "slow down" });
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(30));
            return response;
        };

        await _lane.SyncNow.RunAsync();

        Assert.Equal(Now.AddSeconds(30), (await _ledger.OwnAsync(rows[0].MessageId)).NextAttemptAt);
    }

    [Fact]
    public async Task Messages_the_cloud_did_not_answer_for_back_off()
    {
        var rows = TestMessages.Mixed("L1", Now, 2);
        await _ledger.InsertOwnAsync(rows);
        _cloud.Respond = r => StubCloud.Results([(r.MessageIds[0], "inserted", null)]);

        var result = await _lane.SyncNow.RunAsync();

        Assert.Equal((1, 1), (result.Uploaded, result.TransientFailures));
        var unanswered = _cloud.Requests.Single().MessageIds[1];
        Assert.Equal((LedgerStatus.PeerAck, 1), ((await _ledger.OwnAsync(unanswered)).Status, (await _ledger.OwnAsync(unanswered)).Attempts));
    }

    [Fact]
    public async Task With_peers_a_pending_row_waits_for_PendingUploadAfter()
    {
        await using var lane = Lane(("CloudSync:HasPeers", "true"), ("CloudSync:PendingUploadAfter", "00:02:00"));
        var pending = TestMessages.Mixed("L1", Now, 2);
        var acked = TestMessages.Mixed("L1", Now, 1);
        await _ledger.InsertOwnAsync(pending, LedgerStatus.Pending);
        await _ledger.InsertOwnAsync(acked);

        var first = await lane.SyncNow.RunAsync();
        Assert.Equal((1, 2L), (first.Uploaded, first.Remaining));

        lane.Time.Advance(TimeSpan.FromMinutes(2));
        var second = await lane.SyncNow.RunAsync();
        Assert.Equal((2, 0L), (second.Uploaded, second.Remaining));
    }

    [Fact]
    public async Task The_outcome_is_left_in_lane_state_for_the_status_verb()
    {
        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", Now, 3));
        _lane.Time.Advance(TimeSpan.FromSeconds(5));

        var result = await _lane.SyncNow.RunAsync();
        var status = await _lane.Status.ReadAsync();

        Assert.True(status.Enabled);
        Assert.Equal("http://cloud.test/functions/v1/sync-pos-message", status.Endpoint);
        Assert.Equal(CloudSyncOutcome.Ok, status.LastOutcome);
        Assert.Equal(Now, status.LastSyncAt);
        Assert.Equal(Now, status.LastSuccessAt);
        Assert.Equal(result, status.LastResult);
    }

    public async Task DisposeAsync()
    {
        await _lane.DisposeAsync();
        _ledger.Dispose();
    }
}
