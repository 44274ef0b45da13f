using MassTransit;
using PosBus.Contracts;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>
/// A deliberately slow stock consumer: each adjustment takes <see cref="Delay"/> and writes one <see cref="StockMovementRow"/>
/// keyed by its message id (no unique key, so a double shows), through its DbContext like any lane-local consumer.
/// </summary>
public sealed class SlowStockConsumer(TestDbContext db) : IConsumer<InventoryAdjusted>
{
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(10);

    public async Task Consume(ConsumeContext<InventoryAdjusted> context)
    {
        await Task.Delay(Delay, context.CancellationToken);
        db.StockMovements.Add(new StockMovementRow { MessageId = context.MessageId!.Value, Sku = context.Message.Sku, Delta = context.Message.Delta });
    }
}
