using MassTransit;
using PosBus.Contracts;

namespace PosBus.EndToEnd.Tests.ConsumerApp;

/// <summary>A lane-local consumer: records each stock adjustment (own or a peer's copy) with the process that consumed it.</summary>
public sealed class StockConsumer(StockAppDbContext db) : IConsumer<InventoryAdjusted>
{
    public async Task Consume(ConsumeContext<InventoryAdjusted> context)
    {
        db.Movements.Add(new StockMovementSeen { MessageId = context.Message.MessageId, TerminalId = context.Message.TerminalId, ConsumedBy = Environment.ProcessId });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
