using PosBus.CloudSync.Tests.Support;
using PosBus.Ledger;
using PosBus.Ledger.Stores;
using PosBus.TestSupport;

namespace PosBus.CloudSync.Tests;

/// <summary>Against the real local cloud (Postgres 15 + the Deno function). Each test uses fresh message ids.</summary>
public sealed class When_uploading_to_the_local_cloud : IAsyncLifetime
{
    readonly TestLedger _ledger = new();
    LocalCloud _cloud = null!;
    TestLane _lane = null!;

    DateTimeOffset Now => _lane.Time.GetUtcNow();

    public async Task InitializeAsync()
    {
        _cloud = await LocalCloud.EnsureUpAsync();
        _lane = Lane("L1");
    }

    TestLane Lane(string terminal, string? key = null, params (string, string?)[] more) =>
        TestLane.Create(_ledger, TestLane.Settings(_cloud.Url.ToString(), key ?? _cloud.ServiceKey, more), terminal: terminal);

    [Fact]
    public async Task Every_message_arrives_exactly_once_and_is_acked()
    {
        var rows = TestMessages.Mixed("L1", Now, 120);
        await _ledger.InsertOwnAsync(rows);
        var ids = rows.Select(r => r.MessageId).ToList();

        var result = await _lane.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.Ok, 120, 0, 0L), (result.Outcome, result.Uploaded, result.Invalid, result.Remaining));
        Assert.Equal(120, await _cloud.CountAsync("pos_messages", ids));
        Assert.Equal(120, await _cloud.CountAsync("sync_log", ids));
        Assert.Equal(40, await _cloud.CountAsync("transactions", ids));
        Assert.Equal(40, await _cloud.CountAsync("inventory_movements", ids));
        Assert.Equal(120, await _ledger.CountAsync(LedgerStatus.CloudAck));
    }

    [Fact]
    public async Task The_same_batch_twice_is_all_duplicate_and_still_acked()
    {
        var rows = TestMessages.Mixed("L1", Now, 30);
        await _ledger.InsertOwnAsync(rows);
        await _lane.SyncNow.RunAsync();
        // As if the lane had crashed after the cloud committed but before it recorded the acks.
        await _ledger.QueryAsync("UPDATE outbox SET status = 'peer_ack', cloud_acked_at = NULL RETURNING 1", r => 1);

        var again = await _lane.SyncNow.RunAsync();

        Assert.Equal((0, 30, 0L), (again.Uploaded, again.Duplicates, again.Remaining));
        Assert.Equal(30, await _ledger.CountAsync(LedgerStatus.CloudAck));
        Assert.Equal(30, await _cloud.CountAsync("pos_messages", rows.Select(r => r.MessageId)));
    }

    [Fact]
    public async Task An_invalid_message_is_dead_lettered_and_the_rest_arrive()
    {
        var rows = TestMessages.Mixed("L1", Now, 9).Append(TestMessages.InvalidSale("L1", Now)).ToList();
        await _ledger.InsertOwnAsync(rows);
        var bad = rows[^1].MessageId;

        var result = await _lane.SyncNow.RunAsync();

        Assert.Equal((9, 1), (result.Uploaded, result.Invalid));
        Assert.Equal(9, await _cloud.CountAsync("pos_messages", rows.Select(r => r.MessageId)));
        Assert.Equal(0, await _cloud.CountAsync("pos_messages", [bad]));
        var dead = Assert.Single(await _lane.DeadLetters.ListAsync());
        Assert.Equal((bad, "transaction", 0), (dead.MessageId, dead.Topic, dead.Attempts - 1));
        Assert.Contains("totalMinor", dead.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_of_a_topic_the_cloud_has_no_table_for_is_kept_raw_and_acked_not_dead_lettered()
    {
        var rows = new[] { TestMessages.Other("L1", Now), TestMessages.Other("L1", Now), TestMessages.Sale("L1", Now) };
        await _ledger.InsertOwnAsync(rows);
        var ids = rows.Select(r => r.MessageId).ToList();

        var result = await _lane.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.Ok, 3, 0), (result.Outcome, result.Uploaded, result.Invalid));
        Assert.Empty(await _lane.DeadLetters.ListAsync());
        Assert.Equal(3, await _ledger.CountAsync(LedgerStatus.CloudAck));
        Assert.Equal(2, await _cloud.CountAsync("pos_messages", ids[..2]));
        Assert.Equal(2, await _cloud.CountAsync("sync_log", ids[..2]));
        Assert.Equal(0, await _cloud.CountAsync("transactions", ids[..2]) + await _cloud.CountAsync("inventory_movements", ids[..2]));
        Assert.Equal(1, await _cloud.CountAsync("transactions", ids[2..]));

        // Sent again (a crash before the acks were recorded, or a peer's failover copy): duplicate, and still acked.
        await _ledger.QueryAsync("UPDATE outbox SET status = 'peer_ack', cloud_acked_at = NULL RETURNING 1", r => 1);
        var again = await _lane.SyncNow.RunAsync();
        Assert.Equal((0, 3, 0), (again.Uploaded, again.Duplicates, again.Invalid));
        Assert.Equal(3, await _ledger.CountAsync(LedgerStatus.CloudAck));
    }

    [Fact]
    public async Task A_one_lane_store_uploads_pending_rows_at_once()
    {
        var rows = TestMessages.Mixed("L1", Now, 12);
        await _ledger.InsertOwnAsync(rows, LedgerStatus.Pending);

        var result = await _lane.SyncNow.RunAsync();

        Assert.Equal((12, 0L), (result.Uploaded, result.Remaining));
        Assert.Equal(12, await _cloud.CountAsync("pos_messages", rows.Select(r => r.MessageId)));
    }

    [Fact]
    public async Task Failover_uploads_old_copies_for_their_origin_and_the_origin_then_sees_duplicates()
    {
        await using var survivor = Lane("L2", null, ("CloudSync:FailoverGrace", "00:10:00"));
        var old = TestMessages.Mixed("L1", Now.AddMinutes(-11), 6);
        var young = TestMessages.Mixed("L1", Now.AddMinutes(-1), 3);
        await _ledger.InsertReplicaAsync(old.Concat(young), Now.AddMinutes(-1));

        var result = await survivor.SyncNow.RunAsync();

        Assert.Equal(6, result.Uploaded);
        Assert.Equal(new Dictionary<(string, string), long> { [("L1", "L2")] = 6 }, await _cloud.UploadersAsync(old.Concat(young).Select(r => r.MessageId)));
        foreach (var row in old)
        {
            Assert.Equal("cloud_ack", await _ledger.ReplicaStatusAsync(row.MessageId));
        }

        Assert.Equal("held", await _ledger.ReplicaStatusAsync(young[0].MessageId));

        // The origin comes back and uploads its own rows: the cloud already has them, which is its ack.
        using var originLedger = new TestLedger();
        await originLedger.InsertOwnAsync(old);
        await using var origin = TestLane.Create(originLedger, TestLane.Settings(_cloud.Url.ToString(), _cloud.ServiceKey), terminal: "L1");
        var back = await origin.SyncNow.RunAsync();
        Assert.Equal((0, 6), (back.Uploaded, back.Duplicates));
        Assert.Equal(6, await originLedger.CountAsync(LedgerStatus.CloudAck));
    }

    [Fact]
    public async Task A_wrong_key_is_a_configuration_error_that_touches_no_row()
    {
        await using var lane = Lane("L1", "not-the-key");
        var rows = TestMessages.Mixed("L1", Now, 3);
        await _ledger.InsertOwnAsync(rows);

        var result = await lane.SyncNow.RunAsync();

        Assert.Equal(CloudSyncOutcome.ConfigurationError, result.Outcome);
        Assert.Contains("SUPABASE_SERVICE_KEY", result.Error, StringComparison.Ordinal);
        var state = await _ledger.OwnAsync(rows[0].MessageId);
        Assert.Equal((LedgerStatus.PeerAck, 0, (DateTimeOffset?)null), (state.Status, state.Attempts, state.NextAttemptAt));
        Assert.Contains(lane.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("SUPABASE_SERVICE_KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retried_dead_letters_go_back_in_line()
    {
        var bad = TestMessages.InvalidSale("L1", Now);
        await _ledger.InsertOwnAsync([bad]);
        await _lane.SyncNow.RunAsync();
        Assert.Equal(LedgerStatus.DeadLetter, (await _ledger.OwnAsync(bad.MessageId)).Status);

        Assert.True(await _lane.DeadLetters.RetryAsync(bad.MessageId));
        var state = await _ledger.OwnAsync(bad.MessageId);
        Assert.Equal((LedgerStatus.PeerAck, 0, (string?)null), (state.Status, state.Attempts, state.LastError));
        Assert.False(await _lane.DeadLetters.RetryAsync(bad.MessageId));

        await _lane.SyncNow.RunAsync();
        Assert.Equal(1, await _lane.DeadLetters.RetryAllAsync());
    }

    public async Task DisposeAsync()
    {
        await _lane.DisposeAsync();
        _ledger.Dispose();
    }
}
