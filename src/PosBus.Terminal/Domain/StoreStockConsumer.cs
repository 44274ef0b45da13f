using MassTransit;
using PosBus.Contracts;

namespace PosBus.Terminal.Domain;

/// <summary>
/// Keeps a store-wide stock view from every lane's inventory adjustments: its own (from the outbox)
/// and other lanes' (from peer copies). PosBus's inbox makes a redelivery a no-op.
/// </summary>
public sealed class StoreStockConsumer(PosDbContext db) : IConsumer<InventoryAdjusted>
{
    public async Task Consume(ConsumeContext<InventoryAdjusted> context)
    {
        var message = context.Message;
        db.StoreStockMovements.Add(new StoreStockMovement
        {
            MessageId = message.MessageId,
            TerminalId = message.TerminalId,
            Sku = message.Sku,
            Delta = message.Delta,
            OccurredAtUtc = message.OccurredAt.UtcDateTime,
        });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
