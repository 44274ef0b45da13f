using Microsoft.Data.Sqlite;
using PosBus.Ledger.Cloud;
using PosBus.Ledger.Stores;

namespace PosBus.Ledger.Tests;

public sealed class When_a_message_moves_through_its_states : IAsyncLifetime
{
    static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    readonly LedgerFile _file = new();

    public Task InitializeAsync() => _file.MigrateAsync();

    [Fact]
    public async Task A_capture_is_pending_once_committed_and_gone_when_rolled_back()
    {
        await _file.CaptureAsync(LedgerFile.Row("L1", 0, Now));
        await using (var connection = await _file.Database.OpenAsync())
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            CaptureStore.Write(transaction, [LedgerFile.Row("L1", 0, Now)], [new InboxMark(Guid.NewGuid(), "Stock", Now)]);
            await transaction.RollbackAsync();
        }

        var counts = await new SyncLedger(_file.Database).ReadCountsAsync();
        Assert.Equal((1, 0, 0, 0, 1), (counts.Pending, counts.PeerAck, counts.CloudAck, counts.DeadLetter, counts.LastSequence));
        Assert.Equal(0, await _file.ScalarAsync("SELECT COUNT(*) FROM inbox"));
    }

    [Fact]
    public async Task A_peer_ack_moves_pending_rows_up_to_its_mark_only()
    {
        await _file.CaptureAsync(LedgerFile.Row("L1", 0, Now), LedgerFile.Row("L1", 0, Now), LedgerFile.Row("L1", 0, Now));
        var ledger = new SyncLedger(_file.Database);

        Assert.Equal(2, await ledger.MarkPeerAckedAsync("L2", 2, Now));
        Assert.Equal(0, await ledger.MarkPeerAckedAsync("L3", 1, Now));

        var counts = await ledger.ReadCountsAsync();
        Assert.Equal((1, 2), (counts.Pending, counts.PeerAck));
        Assert.Equal(2, await _file.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE peer_acked_by = 'L2'"));
        Assert.Equal([("L2", 2L), ("L3", 1L)], (await ledger.ReadPeerMarksAsync()).Select(m => (m.PeerId, m.AckedThrough)));
        Assert.Equal(1, (await ledger.ReadLagAsync(2)).Messages);
        Assert.Equal(new CloudSettlement(0, 0, []), await ledger.ReadCloudSettlementAsync(10) with { DeadLetters = [] });
    }

    [Fact]
    public async Task Cloud_verdicts_ack_refuse_and_retry_and_a_dead_letter_can_be_put_back()
    {
        await _file.CaptureAsync(LedgerFile.Row("L1", 0, Now), LedgerFile.Row("L1", 0, Now), LedgerFile.Row("L1", 0, Now));
        await new SyncLedger(_file.Database).MarkPeerAckedAsync("L2", 3, Now);
        var cloud = new CloudLedger(_file.Database);
        var batch = await cloud.ReadBatchAsync(new CloudPassCursor(), 10, CloudEligibility.At(Now, null, TimeSpan.FromMinutes(5)), CancellationToken.None);
        Assert.Equal([1L, 2L, 3L], batch.Select(c => c.Sequence));

        await cloud.RecordAsync(
            [(batch[0], CloudVerdict.Ack), (batch[1], new CloudVerdict.Refused("bad total")), (batch[2], new CloudVerdict.Retry(Now.AddMinutes(1), "503"))],
            "L1", Now, CancellationToken.None);

        var counts = await new SyncLedger(_file.Database).ReadCountsAsync();
        Assert.Equal((0, 1, 1, 1), (counts.Pending, counts.PeerAck, counts.CloudAck, counts.DeadLetter));
        // Peers need not upload rows 1-2 on failover, but the dead letter must stay a dead letter on their copies too:
        // in the cloud through 1, settled through 2 with row 2 listed as a dead letter, with its reason.
        var settlement = await new SyncLedger(_file.Database).ReadCloudSettlementAsync(10);
        Assert.Equal((1L, 2L), (settlement.CloudThrough, settlement.SettledThrough));
        Assert.Equal([new OriginDeadLetter(2, "bad total")], settlement.DeadLetters);
        Assert.Equal((1, 1), await cloud.CountWaitingAsync(Now, CancellationToken.None));
        Assert.Empty(await cloud.ReadBatchAsync(new CloudPassCursor(), 10, CloudEligibility.At(Now, null, TimeSpan.FromMinutes(5)), CancellationToken.None));
        Assert.Equal([3L], (await cloud.ReadBatchAsync(new CloudPassCursor(), 10, CloudEligibility.At(Now.AddMinutes(2), null, TimeSpan.FromMinutes(5)), CancellationToken.None)).Select(c => c.Sequence));

        var deadLetters = new DeadLetters(_file.Database);
        var letter = Assert.Single(await deadLetters.ListAsync());
        Assert.Equal(("bad total", 1), (letter.LastError, letter.Attempts));
        Assert.True(await deadLetters.RetryAsync(letter.MessageId));
        Assert.Empty(await deadLetters.ListAsync());
        Assert.Equal(2, (await new SyncLedger(_file.Database).ReadCountsAsync()).PeerAck);
    }

    [Fact]
    public async Task A_replica_is_stored_once_and_settled_when_its_origin_reached_the_cloud()
    {
        var replicas = new ReplicaStore(_file.Database);
        LedgerRow[] rows = [LedgerFile.Row("L2", 1, Now), LedgerFile.Row("L2", 2, Now)];

        Assert.Equal(2, await replicas.StoreAsync(rows, Now, CancellationToken.None));
        Assert.Equal(0, await replicas.StoreAsync(rows, Now, CancellationToken.None));
        Assert.Equal(1, await replicas.MarkCloudSettledAsync("L2", 1, 1, Now, CancellationToken.None));

        Assert.Equal(2, await replicas.HeldThroughAsync("L2", CancellationToken.None));
        var report = Assert.Single(await replicas.ReadReportsAsync());
        Assert.Equal(("L2", 2L, 2L), (report.Origin, report.Count, report.HeldThrough));
        Assert.Equal(1, await _file.ScalarAsync("SELECT COUNT(*) FROM replica WHERE cloud_status = 'held'"));
    }

    public Task DisposeAsync()
    {
        _file.Dispose();
        return Task.CompletedTask;
    }
}
