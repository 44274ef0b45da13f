using PosBus.Ledger;
using PosBus.PeerSync.Sender;
using PosBus.PeerSync.Tests.Fixtures;
using PosBus.TestSupport;

namespace PosBus.PeerSync.Tests;

/// <summary>
/// Regression (found by the hostile-input run): batches were sized in rows only, so BatchSize rows larger in total than
/// MaxFrameBytes made a frame the peer refused (1009) again and again, and the lane never synced.
/// </summary>
public sealed class When_a_batch_would_exceed_the_frame_limit
{
    [Fact]
    public async Task The_sender_splits_it_and_every_row_arrives()
    {
        // About 400 bytes a row: a full batch of 100 would be ~40 KB, ten times the limit.
        await using var l1 = PeerTestLane.Create("L1", Small);
        await using var l2 = PeerTestLane.Create("L2", Small);
        l2.DialsTo(l1);
        await l1.StartAsync();
        await l2.StartAsync();

        await l2.WriteSalesAsync(300, perTransaction: 300);

        await PeerAssert.SyncedAsync(l2, l1);
        Assert.Equal(0, l1.Logs.Count(Microsoft.Extensions.Logging.LogLevel.Warning, "closed: 1009 "));
    }

    /// <summary>
    /// Issue 15, hole 4: a row too large for any frame (written by an older version, before publishing checked sizes)
    /// was sent, refused with 1009 and sent again after every reconnect: nothing after it ever reached the peer. It is
    /// dead-lettered on its lane now, with the limit named, and the stream goes on past it.
    /// </summary>
    [Fact]
    public async Task A_row_no_frame_can_carry_is_dead_lettered_and_the_rows_after_it_still_arrive()
    {
        await using var l1 = PeerTestLane.Create("L1", Small);
        await using var l2 = PeerTestLane.Create("L2", Small);
        l2.DialsTo(l1);
        await l2.WriteSalesAsync(5);
        var huge = PeerOutboxWriter.Row("L2", 99) with { Body = $$"""{"note":"{{new string('x', 20_000)}}"}""" };
        await PeerOutboxWriter.InsertAsync(l2.Database, [huge]);
        await l2.WriteSalesAsync(5);
        await l1.StartAsync();
        await l2.StartAsync();

        await PeerEventually.HoldsAsync(async () => await PeerDb.ReplicaCountAsync(l1.Database) == 10, PeerAssert.Patience, "L1 holds the ten rows around the huge one");
        Assert.Equal(1, await PeerDb.ScalarAsync(l2.Database,
            $"SELECT COUNT(*) FROM outbox WHERE message_id = '{huge.MessageId}' AND status = 'dead_letter' AND last_error LIKE '%over PeerSync:MaxFrameBytes (4096)%'"));
        await PeerEventually.HoldsAsync(async () => await PeerDb.PendingAsync(l2.Database) == 0, PeerAssert.Patience, "every other row of L2 is peer-acked");
        Assert.Equal(0, l1.Logs.Count(Microsoft.Extensions.Logging.LogLevel.Warning, "closed: 1009 "));
    }

    [Fact]
    public async Task Rows_near_the_limit_travel_one_per_frame_and_the_stream_keeps_moving()
    {
        await using var l1 = PeerTestLane.Create("L1", Small);
        await using var l2 = PeerTestLane.Create("L2", Small);
        l2.DialsTo(l1);
        var rows = Enumerable.Range(0, 40).Select(n => NearTheLimit(PeerOutboxWriter.Row("L2", n), 4096)).ToList();
        Assert.All(rows, r => Assert.InRange(PeerFrameSizeLimit.FrameBytes(r), 4096 - 64, 4096));
        await PeerOutboxWriter.InsertAsync(l2.Database, rows);
        await l1.StartAsync();
        await l2.StartAsync();

        await PeerAssert.SyncedAsync(l2, l1);
        Assert.Equal(0, l1.Logs.Count(Microsoft.Extensions.Logging.LogLevel.Warning, "closed: 1009 "));
    }

    static void Small(Dictionary<string, string?> s) => s["PeerSync:MaxFrameBytes"] = "4096";

    /// <summary><paramref name="row"/> with its body padded so that a frame carrying it alone is just under <paramref name="limit"/>.</summary>
    static LedgerRow NearTheLimit(LedgerRow row, int limit)
    {
        var padded = row with { Body = """{"pad":""}""" };
        var pad = limit - 32 - PeerFrameSizeLimit.FrameBytes(padded);
        return row with { Body = $$"""{"pad":"{{new string('p', pad)}}"}""" };
    }
}
