using MassTransit;
using PosBus.Contracts;

namespace PosBus.Testing.Tests.App;

/// <summary>The app's lane as its tests start it, and the adjustments they sell.</summary>
public static class KitLanes
{
    public static TestLaneOptions<KitTillDbContext> AsTheApp(this TestLaneOptions<KitTillDbContext> lane) => lane
        .PrepareDatabase((db, ct) => db.Database.EnsureCreatedAsync(ct))
        .ConfigureBus(x => x.AddConsumer<KitStockConsumer>());

    public static InventoryAdjusted Adjustment(string terminalId, string sku = "SKU-1", int delta = -1) => new()
    {
        MessageId = NewId.NextGuid(),
        TerminalId = terminalId,
        OccurredAt = DateTimeOffset.UtcNow,
        Sku = sku,
        Delta = delta,
        Reason = InventoryReasons.Sale,
    };

    /// <summary>Publishes <paramref name="adjustment"/> through the outbox and commits it (one SaveChangesAsync).</summary>
    public static Task SellAsync(this TestLane<KitTillDbContext> lane, InventoryAdjusted adjustment) =>
        lane.SaveAsync((_, publish) => publish.Publish(adjustment));
}
