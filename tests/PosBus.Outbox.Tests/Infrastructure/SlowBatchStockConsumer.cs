using MassTransit;
using PosBus.Contracts;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>The batch form of <see cref="SlowStockConsumer"/>: a slow batch of up to 20 adjustments, one row per message.</summary>
public sealed class SlowBatchStockConsumer(TestDbContext db) : IConsumer<Batch<InventoryAdjusted>>
{
    public async Task Consume(ConsumeContext<Batch<InventoryAdjusted>> context)
    {
        await Task.Delay(SlowStockConsumer.Delay * 5, context.CancellationToken);
        foreach (var adjustment in context.Message)
        {
            db.StockMovements.Add(new StockMovementRow { MessageId = adjustment.MessageId!.Value, Sku = adjustment.Message.Sku, Delta = adjustment.Message.Delta });
        }
    }
}
