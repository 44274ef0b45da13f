using MassTransit;
using PosBus.Contracts;

namespace PosBus.Reliability.Tests.Support.Till;

/// <summary>The till's store-wide stock view: every lane's adjustments (own and peer copies), applied once per batch.</summary>
public sealed class TillStockConsumer(TillDbContext db) : IConsumer<Batch<InventoryAdjusted>>
{
    public async Task Consume(ConsumeContext<Batch<InventoryAdjusted>> context)
    {
        foreach (var message in context.Message.Select(m => m.Message))
        {
            db.StoreStockMovements.Add(new TillStockMovement { MessageId = message.MessageId, TerminalId = message.TerminalId, Sku = message.Sku, Delta = message.Delta });
        }

        await db.SaveChangesAsync(context.CancellationToken);
    }
}
