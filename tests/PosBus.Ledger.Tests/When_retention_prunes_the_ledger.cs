using PosBus.Ledger.Stores;

namespace PosBus.Ledger.Tests;

public sealed class When_retention_prunes_the_ledger : IAsyncLifetime
{
    static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly string Old = LedgerTime.ToText(Now.AddDays(-30));

    readonly LedgerFile _file = new();

    public Task InitializeAsync() => _file.MigrateAsync();

    [Fact]
    public async Task It_never_deletes_a_row_the_cloud_does_not_hold_however_old()
    {
        // Six own rows, all a month old and all handed to local consumers: one per state, and two settled ones.
        for (var i = 0; i < 6; i++)
        {
            await _file.CaptureAsync(LedgerFile.Row("L1", 0, Now.AddDays(-30)));
        }

        await _file.ExecuteAsync($"""
            UPDATE outbox SET status = 'peer_ack' WHERE sequence = 2;
            UPDATE outbox SET status = 'dead_letter' WHERE sequence = 3;
            UPDATE outbox SET status = 'cloud_ack', cloud_acked_at = '{Old}' WHERE sequence IN (4, 5, 6);
            INSERT INTO delivery_checkpoint (stream, position) VALUES ('outbox', 6), ('replica', 100);
            """);
        await new ReplicaStore(_file.Database).StoreAsync([LedgerFile.Row("L2", 1, Now.AddDays(-30)), LedgerFile.Row("L2", 2, Now.AddDays(-30)), LedgerFile.Row("L2", 3, Now.AddDays(-30))], Now.AddDays(-30), CancellationToken.None);
        await _file.ExecuteAsync($"UPDATE replica SET cloud_status = 'cloud_ack', cloud_acked_at = '{Old}' WHERE origin_sequence IN (1, 3); UPDATE replica SET cloud_status = 'dead_letter' WHERE origin_sequence = 2");

        var deleted = await new RetentionStore(_file.Database).PruneAsync(Now.AddDays(-7), Now.AddDays(-7), batchSize: 1, waitForLocalDelivery: true, replicasDeliveredLocally: true);

        // Own: 4 and 5 go; 6 is the newest row (a peer's resume point), 1-3 are not in the cloud. Replicas: only 1 goes.
        Assert.Equal(new RetentionCounts(2, 1, 0), deleted);
        Assert.Equal(4, await _file.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE sequence IN (1, 2, 3, 6)"));
        Assert.Equal(4, await _file.ScalarAsync("SELECT COUNT(*) FROM outbox"));
        Assert.Equal(2, await _file.ScalarAsync("SELECT COUNT(*) FROM replica WHERE origin_sequence IN (2, 3)"));
    }

    [Fact]
    public async Task It_keeps_settled_rows_local_consumers_were_not_handed_yet()
    {
        for (var i = 0; i < 4; i++)
        {
            await _file.CaptureAsync(LedgerFile.Row("L1", 0, Now.AddDays(-30)));
        }

        await _file.ExecuteAsync($"UPDATE outbox SET status = 'cloud_ack', cloud_acked_at = '{Old}'; INSERT INTO delivery_checkpoint (stream, position) VALUES ('outbox', 1)");

        var deleted = await new RetentionStore(_file.Database).PruneAsync(Now.AddDays(-7), Now.AddDays(-7), batchSize: 100, waitForLocalDelivery: true, replicasDeliveredLocally: true);

        Assert.Equal(1, deleted.Outbox);
        Assert.Equal(3, await _file.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE sequence > 1"));
    }

    [Fact]
    public async Task It_deletes_inbox_entries_older_than_the_cutoff_only()
    {
        await _file.ExecuteAsync($"INSERT INTO inbox (message_id, consumer, consumed_at) VALUES ('a', 'Stock', '{Old}'), ('b', 'Stock', '{LedgerTime.ToText(Now)}')");

        var deleted = await new RetentionStore(_file.Database).PruneAsync(Now.AddDays(-7), Now.AddDays(-7), batchSize: 100, waitForLocalDelivery: true, replicasDeliveredLocally: false);

        Assert.Equal(1, deleted.Inbox);
        Assert.Equal(1, await _file.ScalarAsync("SELECT COUNT(*) FROM inbox WHERE message_id = 'b'"));
    }

    [Fact]
    public async Task It_keeps_old_inbox_entries_a_redelivery_from_the_saved_position_could_still_need()
    {
        // Own rows 1-4, delivered and completed through 2; peer copies 1-3 (local sequences), completed through 2.
        var own = Enumerable.Range(0, 4).Select(_ => LedgerFile.Row("L1", 0, Now.AddDays(-30))).ToArray();
        await _file.CaptureAsync(own);
        var copies = Enumerable.Range(1, 3).Select(i => LedgerFile.Row("L2", i, Now.AddDays(-30))).ToArray();
        await new ReplicaStore(_file.Database).StoreAsync(copies, Now.AddDays(-30), CancellationToken.None);
        var gone = Guid.NewGuid(); // a message retention already removed from the ledger
        var inbox = string.Join(", ", own.Concat(copies).Select(r => r.MessageId).Append(gone).Select(id => $"('{id:D}', 'Stock', '{Old}')"));
        await _file.ExecuteAsync($"INSERT INTO inbox (message_id, consumer, consumed_at) VALUES {inbox}; " +
                                 "INSERT INTO delivery_checkpoint (stream, position) VALUES ('outbox', 2), ('replica', 2)");

        var deleted = await new RetentionStore(_file.Database).PruneAsync(Now.AddDays(-7), Now.AddDays(-7), batchSize: 1, waitForLocalDelivery: true, replicasDeliveredLocally: true);

        // Only own 1, copy 1 and the removed message's entry go: everything at or after a saved position stays, a month old or not.
        Assert.Equal(3, deleted.Inbox);
        foreach (var kept in new[] { own[1], own[2], own[3], copies[1], copies[2] })
        {
            Assert.Equal(1, await _file.ScalarAsync($"SELECT COUNT(*) FROM inbox WHERE message_id = '{kept.MessageId:D}'"));
        }
    }

    [Fact]
    public async Task It_keeps_a_settled_row_a_local_consumer_dead_lettered()
    {
        var rows = Enumerable.Range(0, 3).Select(_ => LedgerFile.Row("L1", 0, Now.AddDays(-30))).ToArray();
        await _file.CaptureAsync(rows);
        await _file.ExecuteAsync($"UPDATE outbox SET status = 'cloud_ack', cloud_acked_at = '{Old}'; INSERT INTO delivery_checkpoint (stream, position) VALUES ('outbox', 3)");
        await new ConsumerDeadLetterStore(_file.Database).RecordAsync(new ConsumerDeadLetter
        {
            Consumer = "Stock", MessageId = rows[0].MessageId, MessageType = rows[0].MessageType, ExceptionType = "System.InvalidOperationException",
            ExceptionMessage = "locked", Attempts = 6, FailedAt = Now.AddDays(-30),
        });

        var deleted = await new RetentionStore(_file.Database).PruneAsync(Now.AddDays(-7), Now.AddDays(-7), batchSize: 100, waitForLocalDelivery: true, replicasDeliveredLocally: true);

        // Row 2 goes; row 1 waits for its replay, row 3 is the newest.
        Assert.Equal(1, deleted.Outbox);
        Assert.Equal(1, await _file.ScalarAsync($"SELECT COUNT(*) FROM outbox WHERE message_id = '{rows[0].MessageId:D}'"));
    }

    public Task DisposeAsync()
    {
        _file.Dispose();
        return Task.CompletedTask;
    }
}
