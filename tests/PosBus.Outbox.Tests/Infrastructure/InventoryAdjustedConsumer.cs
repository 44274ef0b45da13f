using MassTransit;
using PosBus.Contracts;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>A lane-local consumer with no work of its own, so that delivered adjustments are observable.</summary>
public sealed class InventoryAdjustedConsumer : IConsumer<InventoryAdjusted>
{
    public Task Consume(ConsumeContext<InventoryAdjusted> context) => Task.CompletedTask;
}
