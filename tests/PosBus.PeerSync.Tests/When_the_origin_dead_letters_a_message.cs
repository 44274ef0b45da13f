using PosBus.Ledger.Cloud;
using PosBus.Ledger.Stores;
using PosBus.PeerSync.Tests.Fixtures;
using PosBus.TestSupport;

namespace PosBus.PeerSync.Tests;

/// <summary>
/// Issue 15, hole 2: the origin's heartbeat counted a dead letter as settled, so its peers marked their copies
/// <c>cloud_ack</c>, retention deleted them and failover skipped them; when the origin's disk died, its dead letters were
/// gone from the whole store. A dead letter now stays one on every lane holding a copy until the origin's operator
/// retries or discards it.
/// </summary>
public sealed class When_the_origin_dead_letters_a_message
{
    const string Reason = "lines do not add up to the total";

    [Fact]
    public async Task Every_copy_stays_a_dead_letter_through_retention_and_the_loss_of_the_origin()
    {
        await using var l1 = PeerTestLane.Create("L1");
        await using var l2 = PeerTestLane.Create("L2");
        await using var l3 = PeerTestLane.Create("L3");
        l1.DialsTo(l2, l3);
        await l1.StartAsync();
        await l2.StartAsync();
        await l3.StartAsync();
        var ids = await l1.WriteSalesAsync(10);
        await PeerAssert.SyncedAsync(l1, l2, l3);

        // L1's cloud stage: nine sales stored, the fifth refused.
        await PeerDb.ScalarAsync(l1.Database, "UPDATE outbox SET status = 'cloud_ack', cloud_acked_at = '2000-01-01T00:00:00.0000000Z' WHERE sequence <> 5; SELECT changes()");
        await PeerDb.ScalarAsync(l1.Database, $"UPDATE outbox SET status = 'dead_letter', last_error = '{Reason}' WHERE sequence = 5; SELECT changes()");
        foreach (var holder in new[] { l2, l3 })
        {
            await PeerEventually.HoldsAsync(async () => await PeerDb.ScalarAsync(holder.Database, "SELECT COUNT(*) FROM replica WHERE cloud_status = 'cloud_ack'") == 9,
                PeerAssert.Patience, $"{holder.TerminalId} settles the nine copies L1 got to the cloud");
        }

        // Retention on the holders, with every settled copy old enough to go.
        foreach (var holder in new[] { l2, l3 })
        {
            var pruned = await new RetentionStore(holder.Database).PruneAsync(
                DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(1), 100, waitForLocalDelivery: false, replicasDeliveredLocally: false);
            Assert.Equal(8, pruned.Replica); // the newest copy stays as the stream's resume point; the dead letter stays
        }

        // L1's disk dies: its database is gone.
        await l1.StopAsync();
        foreach (var file in Directory.GetFiles(l1.DataDirectory, "posbus.db*"))
        {
            File.Delete(file);
        }

        // What an operator does next, on a lane that held copies: the dead letter is listed there, with L1's reason,
        // and once the cause is fixed a retry puts it in line for that lane's failover upload.
        foreach (var holder in new[] { l2, l3 })
        {
            var letter = Assert.Single(await new DeadLetters(holder.Database).ListAsync());
            Assert.Equal((ids[4], "L1", 5L, true), (letter.MessageId, letter.OriginTerminal, letter.Sequence, letter.IsReplica));
            Assert.Equal($"dead letter on L1: {Reason}", letter.LastError);
        }

        Assert.True(await new DeadLetters(l2.Database).RetryAsync(ids[4]));
        var failover = await new CloudLedger(l2.Database).ReadBatchAsync(
            new CloudPassCursor(), 10, CloudEligibility.At(DateTimeOffset.UtcNow, null, TimeSpan.Zero), CancellationToken.None);
        var candidate = Assert.Single(failover, c => c.MessageId == ids[4]);
        Assert.True(candidate.IsReplica);
    }

    [Fact]
    public async Task A_dead_letter_the_origin_retries_or_discards_is_settled_on_the_copies()
    {
        await using var l1 = PeerTestLane.Create("L1");
        await using var l2 = PeerTestLane.Create("L2");
        l1.DialsTo(l2);
        await l1.StartAsync();
        await l2.StartAsync();
        var ids = await l1.WriteSalesAsync(7);
        await PeerAssert.SyncedAsync(l1, l2);
        await PeerDb.ScalarAsync(l1.Database, "UPDATE outbox SET status = 'cloud_ack' WHERE sequence NOT IN (3, 7); SELECT changes()");
        await PeerDb.ScalarAsync(l1.Database, $"UPDATE outbox SET status = 'dead_letter', last_error = '{Reason}' WHERE sequence IN (3, 7); SELECT changes()");
        await PeerEventually.HoldsAsync(async () => await DeadCopiesAsync(l2) == 2, PeerAssert.Patience, "L2 holds both dead letters as dead letters");

        // L1's operator: the third goes back in line and reaches the cloud; the seventh (L1's newest row) is discarded.
        var deadLetters = new DeadLetters(l1.Database);
        Assert.True(await deadLetters.RetryAsync(ids[2]));
        await PeerDb.ScalarAsync(l1.Database, "UPDATE outbox SET status = 'cloud_ack' WHERE sequence = 3; SELECT changes()");
        Assert.True(await new DeadLetterDiscards(l1.Database).DiscardAsync(ids[6], "test sale rung up by the installer", "ops", DateTimeOffset.UtcNow));
        Assert.False(await new DeadLetterDiscards(l1.Database).DiscardAsync(ids[6], "again", "ops", DateTimeOffset.UtcNow));

        await PeerEventually.HoldsAsync(async () => await PeerDb.ScalarAsync(l2.Database, "SELECT COUNT(*) FROM replica WHERE cloud_status = 'cloud_ack'") == 7,
            PeerAssert.Patience, "L2 settles both copies");
        var record = Assert.Single(await new DeadLetterDiscards(l1.Database).ListAsync());
        Assert.Equal((ids[6], 7L, "test sale rung up by the installer", "ops", Reason), (record.MessageId, record.Sequence, record.Reason, record.DiscardedBy, record.LastError));
        Assert.Equal(0, await PeerDb.ScalarAsync(l1.Database, $"SELECT COUNT(*) FROM outbox WHERE message_id = '{ids[6]}'"));

        // The discarded row was L1's newest: L1 must not look reset to L2 (which holds its copy), and goes on streaming.
        await l1.StopAsync();
        await l1.StartAsync();
        var more = await l1.WriteSalesAsync(2);
        await PeerEventually.HoldsAsync(async () => await PeerDb.ScalarAsync(l2.Database, $"SELECT COUNT(*) FROM replica WHERE message_id IN ('{more[0]}', '{more[1]}')") == 2,
            PeerAssert.Patience, "L2 receives L1's sales after the discard");
        Assert.Equal(0, l1.Logs.Count(Microsoft.Extensions.Logging.LogLevel.Warning, "reset"));
    }

    static Task<long> DeadCopiesAsync(PeerTestLane lane) => PeerDb.ScalarAsync(lane.Database, "SELECT COUNT(*) FROM replica WHERE cloud_status = 'dead_letter'");
}
