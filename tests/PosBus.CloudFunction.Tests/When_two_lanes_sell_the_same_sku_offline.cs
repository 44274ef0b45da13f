using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

[Collection(CloudCollection.Name)]
public sealed class When_two_lanes_sell_the_same_sku_offline(CloudFixture f)
{
    [Fact]
    public async Task The_level_reflects_both_sales()
    {
        var sku = $"SKU-{Guid.NewGuid():N}";
        var receipt = Inventory("L1", sku, 10, "receipt");
        var l1Sale = Inventory("L1", sku, -2);
        var l2Sale = Inventory("L2", sku, -3);

        await f.SyncAsync(Batch("L1", receipt));
        // Both lanes were offline; each uploads its own movement later, L2 first, then L1 twice.
        await f.SyncAsync(Batch("L2", l2Sale));
        await f.SyncAsync(Batch("L1", l1Sale));
        await f.SyncAsync(Batch("L1", l1Sale.DeepClone().AsObject()));

        Assert.Equal(5L, await f.ScalarAsync<long>("select quantity from inventory_levels where sku = $1", sku));
        Assert.Equal(5L, await f.ScalarAsync<long>("select sum(delta)::bigint from inventory_movements where sku = $1", sku));
    }

    [Fact]
    public async Task Concurrent_uploads_of_the_same_sku_lose_no_delta()
    {
        var sku = $"SKU-{Guid.NewGuid():N}";
        var uploads = Enumerable.Range(0, 8).Select(lane =>
            f.SyncAsync(Batch($"L{lane}", Enumerable.Range(0, 20).Select(_ => Inventory($"L{lane}", sku, -1)).ToArray())));

        await Task.WhenAll(uploads);

        Assert.Equal(-160L, await f.ScalarAsync<long>("select quantity from inventory_levels where sku = $1", sku));
    }
}
