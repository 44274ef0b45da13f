using Microsoft.Extensions.Logging;
using PosBus.PeerSync.Tests.Fixtures;
using PosBus.TestSupport;

namespace PosBus.PeerSync.Tests;

/// <summary>Lanes as separate OS processes on 127.0.0.1 with their own SQLite files.</summary>
public sealed class When_a_lane_process_is_killed
{
    [Fact]
    public async Task A_receiver_killed_mid_stream_loses_no_copy_doubles_none_and_the_origin_resumes_at_its_mark()
    {
        await using var l2 = new PeerLaneProcess("L2");
        await using var l1 = PeerTestLane.Create("L1");
        l1.Settings["PeerSync:Peers"] = l2.Url;
        l1.Settings["PeerSync:BatchSize"] = "25";
        await l2.StartAsync();
        await l1.StartAsync();

        var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await l1.WriteSalesAsync(10, 2);
            }
        });
        await PeerEventually.HoldsAsync(async () => await PeerDb.ReplicaCountAsync(l2.Database) > 300, PeerAssert.Patience, "L2 received 300 copies");

        await l2.KillAsync();
        var heldAtKill = await PeerDb.ScalarAsync(l2.Database, "SELECT COALESCE(MAX(origin_sequence), 0) FROM replica");
        await PeerEventually.HoldsAsync(() => Task.FromResult(l1.Logs.Count(LogLevel.Warning, "down:") >= 1), PeerAssert.Patience, "L1 saw the link drop");
        // Acks only follow commits: L1 can never believe L2 holds more than L2 durably held when it died.
        Assert.True(await PeerDb.ScalarAsync(l1.Database, "SELECT COALESCE(MAX(acked_through), 0) FROM peer_ack_mark") <= heldAtKill);

        await l2.StartAsync();
        await PeerEventually.HoldsAsync(async () => await PeerDb.ReplicaCountAsync(l2.Database) > heldAtKill + 200, PeerAssert.Patience, "L2 received more after restart");
        await stop.CancelAsync();
        await load;

        await PeerAssert.SyncedAsync(l1, l2);
        Assert.Equal(1, l1.Logs.Count(LogLevel.Information, $"up; resuming after sequence {heldAtKill}"));
        var copies = await PeerDb.ReplicasAsync(l2.Database, "L1");
        Assert.Equal(copies.Count, copies.Select(c => c.MessageId).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, copies.Count).Select(i => (long)i), copies.Select(c => c.Sequence));
    }
}
