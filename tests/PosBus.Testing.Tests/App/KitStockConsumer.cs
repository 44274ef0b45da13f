using MassTransit;
using PosBus.Contracts;

namespace PosBus.Testing.Tests.App;

/// <summary>The app's lane-local consumer: applies each inventory adjustment once (PosBus's inbox drops repeats).</summary>
public sealed class KitStockConsumer(KitTillDbContext db) : IConsumer<InventoryAdjusted>
{
    public async Task Consume(ConsumeContext<InventoryAdjusted> context)
    {
        db.Movements.Add(new AppliedMovement { MessageId = context.Message.MessageId, Sku = context.Message.Sku, Delta = context.Message.Delta });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
