using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Contracts;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

/// <summary>
/// The test lane consumes SaleCompleted and InventoryAdjusted but not CustomerUpserted: delivery leaves customer rows in
/// the ledger (for peers and the cloud) instead of serializing them onto a bus where nothing takes them.
/// </summary>
public sealed class When_nothing_on_the_lane_consumes_a_type
{
    [Fact]
    public async Task Its_rows_stay_in_the_ledger_and_are_not_handed_to_the_bus()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);
        var sent = new SentMessageIds();
        using var _ = lane.Services.GetRequiredService<IBus>().ConnectSendObserver(sent);

        var customer = await SaveCustomerAsync(lane);
        var sale = await Sales.SaveAsync(lane.Services);

        // Delivery goes in ledger order, so once the later sale was consumed the customer row has been passed over.
        Assert.True(await lane.ConsumedAsync(sale.MessageId));
        Assert.True(sent.Contains(sale.MessageId));
        Assert.False(sent.Contains(customer.MessageId));
        Assert.True(await lane.QueryAsync(db => db.Outbox.AnyAsync(r => r.MessageId == customer.MessageId && r.Topic == PosTopics.Customer)));
    }

    [Fact]
    public async Task With_DeliverOnlyConsumedTypes_off_every_row_is_handed_to_the_bus()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database, o => o.DeliverOnlyConsumedTypes = false);
        var sent = new SentMessageIds();
        using var _ = lane.Services.GetRequiredService<IBus>().ConnectSendObserver(sent);

        var customer = await SaveCustomerAsync(lane);

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(sent.Contains(customer.MessageId)), TimeSpan.FromSeconds(10)));
    }

    static async Task<CustomerUpserted> SaveCustomerAsync(LaneHost lane)
    {
        var customer = new CustomerUpserted
        {
            MessageId = Guid.NewGuid(), TerminalId = "L1", OccurredAt = DateTimeOffset.UtcNow, CustomerId = "C-1", Name = "Ada", LoyaltyPoints = 10,
        };
        await lane.PublishAndSaveAsync(customer);
        return customer;
    }
}
