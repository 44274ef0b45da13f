using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Stores;
using PosBus.PeerSync.Sender;
using PosBus.PeerSync.Tests.Fixtures;
using PosBus.TestSupport;

namespace PosBus.PeerSync.Tests;

/// <summary>
/// The origin's cloud watermark rides on its heartbeat: copies of rows the origin settled with the cloud are marked
/// <c>cloud_ack</c> on the holder (so failover does not upload them again), rows still on their way stay held, and the
/// origin's dead letters stay dead letters on the copies.
/// </summary>
public sealed class When_the_origin_reaches_the_cloud
{
    const string HeldFromL1 = "SELECT COUNT(*) FROM replica WHERE origin_terminal = 'L1' AND cloud_status = 'held'";
    const string SettledFromL1 = "SELECT COUNT(*) FROM replica WHERE origin_terminal = 'L1' AND cloud_status = 'cloud_ack'";

    [Fact]
    public async Task Copies_of_settled_rows_are_marked_and_the_rest_stay_held()
    {
        await using var l1 = PeerTestLane.Create("L1");
        await using var l2 = PeerTestLane.Create("L2");
        l1.DialsTo(l2);
        await l1.StartAsync();
        await l2.StartAsync();
        await l1.WriteSalesAsync(50);
        await PeerAssert.SyncedAsync(l1, l2);
        Assert.Equal(50, await PeerDb.ScalarAsync(l2.Database, HeldFromL1));

        // The cloud stage acks rows 1-30 and 32-40 on L1 and dead-letters the 31st.
        await PeerDb.ScalarAsync(l1.Database, "UPDATE outbox SET status = 'cloud_ack' WHERE sequence <= 40 AND sequence <> 31; SELECT changes()");
        await PeerDb.ScalarAsync(l1.Database, "UPDATE outbox SET status = 'dead_letter', last_error = 'total does not match' WHERE sequence = 31; SELECT changes()");

        await PeerEventually.HoldsAsync(async () => await PeerDb.ScalarAsync(l2.Database, SettledFromL1) == 39,
            PeerAssert.Patience, "L2 marks the 39 copies L1 got to the cloud");
        await Task.Delay(600); // three more heartbeats: the watermark must not run past a row still on its way
        Assert.Equal(39, await PeerDb.ScalarAsync(l2.Database, SettledFromL1));
        Assert.Equal(10, await PeerDb.ScalarAsync(l2.Database, HeldFromL1));
        // The dead letter stays one on the copy, with L1's reason: it is not settled, it waits for an operator.
        Assert.Equal(1, await PeerDb.ScalarAsync(l2.Database,
            "SELECT COUNT(*) FROM replica WHERE origin_sequence = 31 AND cloud_status = 'dead_letter' AND last_error = 'dead letter on L1: total does not match'"));
    }

    [Fact]
    public async Task Rows_settled_before_the_holder_got_them_arrive_settled()
    {
        await using var l1 = PeerTestLane.Create("L1");
        await using var l2 = PeerTestLane.Create("L2");
        l1.DialsTo(l2);
        await l1.StartAsync();
        await l1.WriteSalesAsync(40);
        // L2 was down while L1 reached the cloud on its own (a one-lane store after PendingUploadAfter).
        await PeerDb.ScalarAsync(l1.Database, "UPDATE outbox SET status = 'cloud_ack' WHERE sequence <= 35; SELECT changes()");

        await l2.StartAsync();
        await PeerAssert.SyncedAsync(l1, l2);
        await PeerEventually.HoldsAsync(async () => await PeerDb.ScalarAsync(l2.Database, SettledFromL1) == 35,
            PeerAssert.Patience, "the backlog's copies of settled rows are marked as they arrive");
        Assert.Equal(5, await PeerDb.ScalarAsync(l2.Database, HeldFromL1));
    }

    [Fact]
    public async Task The_watermark_is_read_from_the_ledger_at_most_once_per_heartbeat_interval()
    {
        await using var l1 = PeerTestLane.Create("L1");
        await LedgerDatabaseSetup.EnsureCreatedAsync(l1.Database);
        await l1.WriteSalesAsync(10);
        var clock = new FakeTimeProvider();
        var settings = Microsoft.Extensions.Options.Options.Create(new PeerSyncOptions { HeartbeatIntervalMs = 1000 });
        var watermark = new CloudWatermark(new PosBus.Ledger.Stores.SyncLedger(l1.Database), settings, clock, NullLogger<CloudWatermark>.Instance);
        Assert.Equal(0, (await watermark.ReadAsync(CancellationToken.None))!.SettledThrough);

        await PeerDb.ScalarAsync(l1.Database, "UPDATE outbox SET status = 'cloud_ack' WHERE sequence <= 4; SELECT changes()");
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, (await watermark.ReadAsync(CancellationToken.None))!.SettledThrough); // another link's heartbeat within the interval: the shared value
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(4, (await watermark.ReadAsync(CancellationToken.None))!.CloudThrough);
    }
}
