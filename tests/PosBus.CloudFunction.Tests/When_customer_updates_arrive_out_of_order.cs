using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

[Collection(CloudCollection.Name)]
public sealed class When_customer_updates_arrive_out_of_order(CloudFixture f)
{
    static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    async Task<string?> NameOf(string customerId) =>
        await f.ScalarAsync<string>("select name from customers where customer_id = $1", customerId);

    [Fact]
    public async Task The_latest_occurred_at_wins_even_when_it_arrives_first()
    {
        var id = $"cust-{Guid.NewGuid():N}";

        await f.SyncAsync(Batch("L2", Customer("L2", id, "Newer", T0.AddMinutes(5))));
        await f.SyncAsync(Batch("L1", Customer("L1", id, "Older", T0)));

        Assert.Equal("Newer", await NameOf(id));
    }

    [Fact]
    public async Task A_later_update_replaces_an_earlier_one()
    {
        var id = $"cust-{Guid.NewGuid():N}";

        await f.SyncAsync(Batch("L1", Customer("L1", id, "First", T0)));
        await f.SyncAsync(Batch("L1", Customer("L1", id, "Second", T0.AddSeconds(1))));

        Assert.Equal("Second", await NameOf(id));
    }

    [Fact]
    public async Task Within_one_batch_the_latest_wins_whatever_the_order()
    {
        var id = $"cust-{Guid.NewGuid():N}";

        await f.SyncAsync(Batch("L1",
            Customer("L1", id, "Middle", T0.AddMinutes(1)), Customer("L1", id, "Last", T0.AddMinutes(2)), Customer("L1", id, "First", T0)));

        Assert.Equal("Last", await NameOf(id));
    }

    [Fact]
    public async Task A_tie_on_occurred_at_is_broken_by_message_id_not_by_arrival()
    {
        var id = $"cust-{Guid.NewGuid():N}";
        var low = Guid.Parse("00000000-0000-4000-8000-" + Guid.NewGuid().ToString("N")[..12]);
        var high = Guid.Parse("ffffffff-0000-4000-8000-" + Guid.NewGuid().ToString("N")[..12]);

        await f.SyncAsync(Batch("L1", Customer("L1", id, "High", T0, high)));
        await f.SyncAsync(Batch("L2", Customer("L2", id, "Low", T0, low)));

        Assert.Equal("High", await NameOf(id));
    }
}
