using MassTransit;
using PosBus.Contracts;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>A batch consumer as a POS app writes one: applies every adjustment of the batch through its DbContext, no save of its own.</summary>
public sealed class BatchStockConsumer(TestDbContext db, BatchLog log) : IConsumer<Batch<InventoryAdjusted>>
{
    public Task Consume(ConsumeContext<Batch<InventoryAdjusted>> context)
    {
        log.Add([.. context.Message.Select(m => m.Message.MessageId)]);
        foreach (var adjustment in context.Message)
        {
            db.StockMovements.Add(new StockMovementRow { MessageId = adjustment.Message.MessageId, Sku = adjustment.Message.Sku, Delta = adjustment.Message.Delta });
        }

        return Task.CompletedTask;
    }
}
