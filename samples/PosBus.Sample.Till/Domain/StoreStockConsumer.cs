using MassTransit;
using PosBus.Contracts;

namespace PosBus.Sample.Till.Domain;

/// <summary>
/// Keeps a store-wide stock view from every lane's inventory adjustments: its own (from the outbox)
/// and other lanes' (from peer copies). A batch consumer: a sale adjusts several SKUs and a peer's backlog
/// arrives by the thousand, and one save per batch keeps the lane's write transactions few while tills sell.
/// PosBus's inbox drops what a redelivered batch already applied.
/// </summary>
public sealed class StoreStockConsumer(PosDbContext db) : IConsumer<Batch<InventoryAdjusted>>
{
    public async Task Consume(ConsumeContext<Batch<InventoryAdjusted>> context)
    {
        foreach (var adjustment in context.Message)
        {
            var message = adjustment.Message;
            db.StoreStockMovements.Add(new StoreStockMovement
            {
                MessageId = message.MessageId,
                TerminalId = message.TerminalId,
                Sku = message.Sku,
                Delta = message.Delta,
                OccurredAtUtc = message.OccurredAt.UtcDateTime,
            });
        }

        await db.SaveChangesAsync(context.CancellationToken);
    }
}
