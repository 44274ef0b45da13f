using PosBus.Ledger.Stores;
using PosBus.PeerSync.Status;
using PosBus.PeerSync.Tests.Fixtures;
using PosBus.TestSupport;

namespace PosBus.PeerSync.Tests;

public sealed class When_lanes_sync
{
    [Fact]
    public async Task Two_lanes_ack_every_row_and_hold_identical_copies()
    {
        await using var l1 = PeerTestLane.Create("L1");
        await using var l2 = PeerTestLane.Create("L2");
        l1.DialsTo(l2);
        l2.DialsTo(l1);
        await l1.StartAsync();
        await l2.StartAsync();

        await Task.WhenAll(l1.WriteSalesAsync(300, perTransaction: 7), l2.WriteSalesAsync(120));

        await PeerAssert.SyncedAsync(l1, l2);
        await PeerAssert.SyncedAsync(l2, l1);
        Assert.Equal(300, await PeerDb.ScalarAsync(l1.Database, "SELECT COUNT(*) FROM outbox WHERE status = 'peer_ack' AND peer_acked_by = 'L2'"));
    }

    [Fact]
    public async Task Three_lanes_each_hold_the_others_rows_and_every_peer_mark_is_recorded()
    {
        await using var l1 = PeerTestLane.Create("L1");
        await using var l2 = PeerTestLane.Create("L2");
        await using var l3 = PeerTestLane.Create("L3");
        l1.DialsTo(l2, l3);
        l2.DialsTo(l1, l3);
        l3.DialsTo(l1, l2);
        await Task.WhenAll(l1.StartAsync(), l2.StartAsync(), l3.StartAsync());

        await Task.WhenAll(l1.WriteSalesAsync(150, 10), l2.WriteSalesAsync(90, 3), l3.WriteSalesAsync(60));

        await PeerAssert.SyncedAsync(l1, l2, l3);
        await PeerAssert.SyncedAsync(l2, l1, l3);
        await PeerAssert.SyncedAsync(l3, l1, l2);
        // k of n: both peers' cumulative marks reach the origin's last sequence.
        await PeerEventually.HoldsAsync(async () => await PeerDb.ScalarAsync(l1.Database, "SELECT COUNT(*) FROM peer_ack_mark WHERE acked_through = 150") == 2,
            PeerAssert.Patience, "L1 has marks from L2 and L3");
    }

    [Fact]
    public async Task Status_shows_peers_lag_and_replicas_live_and_from_the_database_alone()
    {
        await using var l1 = PeerTestLane.Create("L1");
        await using var l2 = PeerTestLane.Create("L2");
        l1.DialsTo(l2);
        await l1.StartAsync();
        await l1.WriteSalesAsync(40);

        var before = await l1.Status.ReadAsync();
        var unreached = Assert.Single(before.Peers);
        Assert.Equal(l2.Url, unreached.Url);
        Assert.False(unreached.Connected);
        Assert.Equal(40, unreached.LagMessages);
        Assert.True(unreached.LagSeconds >= 0);

        await l2.StartAsync();
        await PeerAssert.SyncedAsync(l1, l2);

        var live = Assert.Single((await l1.Status.ReadAsync()).Peers);
        Assert.Equal("L2", live.Id);
        Assert.True(live.Connected);
        Assert.Equal(0, live.LagMessages);
        Assert.Equal(40, live.AckedThrough);
        Assert.NotNull(live.LastAckAt);
        Assert.NotNull(live.ClockSkewMs);

        var offline = await PeerSyncStatus.ReadFromDatabaseAsync(l2.Database, DateTimeOffset.UtcNow);
        Assert.Equal(new ReplicaReport("L1", 40, 40, offline.Replicas[0].LastReceivedAt), Assert.Single(offline.Replicas));
        var fromDisk = Assert.Single((await PeerSyncStatus.ReadFromDatabaseAsync(l1.Database, DateTimeOffset.UtcNow)).Peers);
        Assert.Equal(("L2", 40L, 0L, (bool?)null), (fromDisk.Id, fromDisk.AckedThrough, fromDisk.LagMessages, fromDisk.Connected));
    }
}
