using PosBus.Ledger;
using PosBus.Testing.Tests.App;

namespace PosBus.Testing.Tests;

public sealed class When_lanes_form_a_store
{
    [Fact]
    public async Task A_peer_holds_a_copy_the_origin_sees_peer_ack_and_both_consumers_apply_it()
    {
        await using var store = await TestStore.StartAsync<KitTillDbContext>(2, (lane, _) => lane.AsTheApp());
        var adjustment = KitLanes.Adjustment("L1");

        await store[0].SellAsync(adjustment);

        var origin = await store[0].WaitForPeerAckAsync(adjustment.MessageId);
        Assert.Equal(LedgerStatus.PeerAck, origin.Status);
        Assert.Equal("L2", origin.PeerAckedBy);
        var copy = await store[1].WaitForPeerAckAsync(adjustment.MessageId);
        Assert.True(copy.IsReplica);
        Assert.Equal("L1", copy.OriginTerminal);
        await store[0].WaitForConsumedAsync<KitStockConsumer>(adjustment.MessageId);
        await store[1].WaitForConsumedAsync<KitStockConsumer>(adjustment.MessageId); // replicas are delivered to the peer's consumers too
    }
}
