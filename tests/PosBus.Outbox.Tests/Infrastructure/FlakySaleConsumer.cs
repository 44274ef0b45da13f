using MassTransit;
using PosBus.Contracts;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>A lane-local consumer that throws for a poisoned sale, and otherwise writes one row per message it applied.</summary>
public sealed class FlakySaleConsumer(TestDbContext db, PoisonedSales poisoned) : IConsumer<SaleCompleted>
{
    public const string Sku = "flaky";

    public Task Consume(ConsumeContext<SaleCompleted> context)
    {
        // Added before the throw: a retry must not save this half-done work twice.
        db.StockMovements.Add(new StockMovementRow { MessageId = context.MessageId!.Value, Sku = Sku, Delta = 1 });
        if (poisoned.Run(context.Message.SaleId))
        {
            throw new InvalidOperationException($"the shelf of sale {context.Message.SaleId} is locked");
        }

        return Task.CompletedTask;
    }
}
