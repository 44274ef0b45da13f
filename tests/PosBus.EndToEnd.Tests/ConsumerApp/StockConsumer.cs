using MassTransit;
using PosBus.Contracts;

namespace PosBus.EndToEnd.Tests.ConsumerApp;

/// <summary>
/// A lane-local consumer: records each stock adjustment (own or a peer's copy) with the process that consumed it. It
/// throws for the SKU named by <see cref="FailingSkuVariable"/>, as a consumer with a bug would.
/// </summary>
public sealed class StockConsumer(StockAppDbContext db) : IConsumer<InventoryAdjusted>
{
    public const string FailingSkuVariable = "STOCKAPP_FAILING_SKU";
    static readonly string? FailingSku = Environment.GetEnvironmentVariable(FailingSkuVariable);

    public async Task Consume(ConsumeContext<InventoryAdjusted> context)
    {
        if (context.Message.Sku == FailingSku)
        {
            throw new InvalidOperationException($"no stock record for {context.Message.Sku}");
        }

        db.Movements.Add(new StockMovementSeen { MessageId = context.Message.MessageId, TerminalId = context.Message.TerminalId, ConsumedBy = Environment.ProcessId });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
