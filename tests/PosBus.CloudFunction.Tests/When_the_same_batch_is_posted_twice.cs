using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

[Collection(CloudCollection.Name)]
public sealed class When_the_same_batch_is_posted_twice(CloudFixture f)
{
    [Fact]
    public async Task All_are_duplicates_and_every_row_exists_once()
    {
        var sku = $"SKU-{Guid.NewGuid():N}";
        var messages = new[] { Sale("L1"), Inventory("L1", sku, -4), Customer("L1", $"cust-{Guid.NewGuid():N}", "Bo", DateTimeOffset.UtcNow) };
        var ids = messages.Select(Id).ToArray();

        var first = await f.SyncAsync(Batch("L1", messages));
        // The retry a lane sends when it never saw the first answer, and a peer's failover copy of it.
        var second = await f.SyncAsync(Batch("L1", messages.Select(m => m.DeepClone().AsObject()).ToArray()));
        var third = await f.SyncAsync(Batch("L2", messages.Select(m => m.DeepClone().AsObject()).ToArray()));

        Assert.All(first, r => Assert.Equal("inserted", r.Status));
        Assert.All(second.Concat(third), r => Assert.Equal("duplicate", r.Status));
        Assert.Equal(3, await f.CountAsync("pos_messages", ids));
        Assert.Equal(3, await f.CountAsync("sync_log", ids));
        Assert.Equal(1, await f.CountAsync("transactions", ids));
        Assert.Equal(1, await f.CountAsync("inventory_movements", ids));
        Assert.Equal(-4L, await f.ScalarAsync<long>("select quantity from inventory_levels where sku = $1", sku));
        Assert.Equal("L1", await f.ScalarAsync<string>("select uploaded_by from pos_messages where message_id = $1", ids[0]));
    }

    [Fact]
    public async Task A_message_repeated_inside_one_batch_is_inserted_once()
    {
        var sale = Sale("L1");

        var results = await f.SyncAsync(Batch("L1", sale, sale.DeepClone().AsObject()));

        Assert.Equal(["inserted", "duplicate"], results.Select(r => r.Status));
        Assert.Equal(1, await f.CountAsync("pos_messages", [Id(sale)]));
    }
}
