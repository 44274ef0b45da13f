using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Sample.Till.Domain;
using PosBus.Testing;

namespace PosBus.Sample.Till.Tests;

public sealed class When_tills_share_a_store
{
    [Fact]
    public async Task A_sale_on_one_till_reaches_the_other_tills_stock_view_and_is_peer_acked()
    {
        await using var store = await TestStore.StartAsync<PosDbContext>(2, (lane, _) => lane.AsTheTill());

        await store[0].RingUpAsync(TillLanes.TwoItems());

        foreach (var adjustment in await store[0].CommittedMessagesAsync("inventory"))
        {
            await store[0].WaitForPeerAckAsync(adjustment.MessageId);
            var copy = await store[1].WaitForConsumedAsync<StoreStockConsumer>(adjustment.MessageId);
            Assert.True(copy.IsReplica);
        }

        await using var scope = store[1].Services.CreateAsyncScope();
        var seen = await scope.ServiceProvider.GetRequiredService<PosDbContext>().StoreStockMovements.ToListAsync();
        Assert.Equal(2, seen.Count);
        Assert.All(seen, m => Assert.Equal("L1", m.TerminalId));
    }
}
