using Microsoft.Extensions.Logging;
using PosBus.PeerSync.Tests.Fixtures;
using PosBus.TestSupport;

namespace PosBus.PeerSync.Tests;

public sealed class When_a_link_is_interrupted
{
    [Fact]
    public async Task The_origin_resumes_exactly_where_the_restarted_receiver_holds()
    {
        await using var l1 = PeerTestLane.Create("L1");
        await using var l2 = PeerTestLane.Create("L2");
        l1.DialsTo(l2);
        await l1.StartAsync();
        await l2.StartAsync();
        await l1.WriteSalesAsync(100, 10);
        await PeerAssert.SyncedAsync(l1, l2);

        await l2.StopAsync();
        await l1.WriteSalesAsync(150, 10);
        await l2.StartAsync();

        await PeerAssert.SyncedAsync(l1, l2);
        await PeerEventually.HoldsAsync(() => Task.FromResult(l1.Logs.Count(LogLevel.Information, "up; resuming after sequence 100") == 1),
            PeerAssert.Patience, "L1 resumed after 100");
        Assert.Equal(1, l1.Logs.Count(LogLevel.Information, "up; resuming after sequence 0"));
    }

    [Fact]
    public async Task A_lane_offline_with_a_backlog_of_thousands_catches_up_in_order()
    {
        await using var l1 = PeerTestLane.Create("L1");
        await using var l2 = PeerTestLane.Create("L2");
        l1.DialsTo(l2);
        await l1.StartAsync();
        await l1.WriteSalesAsync(5000, perTransaction: 50);
        Assert.Equal(5000, await PeerDb.PendingAsync(l1.Database));

        await l2.StartAsync();

        await PeerAssert.SyncedAsync(l1, l2);
        var copies = await PeerDb.ReplicasAsync(l2.Database, "L1");
        Assert.Equal(Enumerable.Range(1, 5000).Select(i => (long)i), copies.Select(c => c.Sequence));
    }

    [Fact]
    public async Task A_link_cut_again_and_again_during_load_loses_nothing_and_doubles_nothing()
    {
        await using var l1 = PeerTestLane.Create("L1");
        await using var l2 = PeerTestLane.Create("L2");
        await using var proxy = new PeerTcpProxy(l2.Port);
        l1.Settings["PeerSync:Peers"] = proxy.Url;
        l1.Settings["PeerSync:BatchSize"] = "20";
        await l1.StartAsync();
        await l2.StartAsync();

        // Sales keep coming until the link has been cut 8 times, each cut after the link came back and moved rows.
        var cuts = 0;
        var load = Task.Run(async () =>
        {
            while (Volatile.Read(ref cuts) < 8)
            {
                await l1.WriteSalesAsync(20, 5);
            }
        });
        var seen = 0L;
        while (cuts < 8)
        {
            await PeerEventually.HoldsAsync(async () => proxy.Accepted > cuts && await PeerDb.ReplicaCountAsync(l2.Database) > seen,
                PeerAssert.Patience, $"reconnected and progressed after cut {cuts}");
            seen = await PeerDb.ReplicaCountAsync(l2.Database);
            proxy.CutAll();
            Interlocked.Increment(ref cuts);
        }

        await load;
        await PeerAssert.SyncedAsync(l1, l2);
        var written = (await PeerDb.OwnAsync(l1.Database)).Count;
        Assert.Equal(written, await PeerDb.ScalarAsync(l2.Database, "SELECT COUNT(DISTINCT message_id) FROM replica"));
        Assert.Equal(written, await PeerDb.ReplicaCountAsync(l2.Database));
        Assert.True(proxy.Accepted > 8);
    }

    [Fact]
    public async Task A_silently_dead_link_is_detected_and_replaced()
    {
        await using var l1 = PeerTestLane.Create("L1", s => s["PeerSync:DeadLinkTimeoutMs"] = "800");
        await using var l2 = PeerTestLane.Create("L2", s => s["PeerSync:DeadLinkTimeoutMs"] = "800");
        await using var proxy = new PeerTcpProxy(l2.Port);
        l1.Settings["PeerSync:Peers"] = proxy.Url;
        await l1.StartAsync();
        await l2.StartAsync();
        await l1.WriteSalesAsync(10);
        await PeerAssert.SyncedAsync(l1, l2);

        proxy.Freeze();
        await PeerEventually.HoldsAsync(() => Task.FromResult(l1.Logs.Count(LogLevel.Warning, "nothing received for 800 ms") >= 1),
            TimeSpan.FromSeconds(10), "L1 declared the link dead");
        proxy.Thaw();
        await l1.WriteSalesAsync(10);

        await PeerAssert.SyncedAsync(l1, l2);
        Assert.True(proxy.Accepted >= 2);
    }
}
