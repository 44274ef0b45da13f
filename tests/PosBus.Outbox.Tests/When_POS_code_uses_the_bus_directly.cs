using MassTransit;
using PosBus.Contracts;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

public sealed class When_POS_code_uses_the_bus_directly
{
    [Fact]
    public async Task Publishing_a_pos_message_on_IBus_throws()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);

        var adjustment = new InventoryAdjusted
        {
            MessageId = Guid.NewGuid(), TerminalId = "L1", OccurredAt = DateTimeOffset.UtcNow, Sku = "S", Delta = -1, Reason = InventoryReasons.Sale,
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => lane.Harness.Bus.Publish(adjustment));
        Assert.Contains("IPublishEndpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sending_a_pos_message_on_IBus_throws()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);

        var endpoint = await lane.Harness.Bus.GetSendEndpoint(new Uri("queue:anything"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => endpoint.Send(new CustomerUpserted
        {
            MessageId = Guid.NewGuid(), TerminalId = "L1", OccurredAt = DateTimeOffset.UtcNow, CustomerId = "c", Name = "n", LoyaltyPoints = 0,
        }));
    }

    [Fact]
    public async Task A_non_pos_message_still_goes_straight_through()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);
        var saleId = Guid.NewGuid();

        await lane.Harness.Bus.Publish(new SaleProjected(saleId));

        Assert.True(await lane.Harness.Published.Any<SaleProjected>(c => c.Context.Message.SaleId == saleId));
    }
}
