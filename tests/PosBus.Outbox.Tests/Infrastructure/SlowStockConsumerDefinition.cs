using MassTransit;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>Four at a time, so that a thousand adjustments stay queued in memory for seconds.</summary>
public sealed class SlowStockConsumerDefinition : ConsumerDefinition<SlowStockConsumer>
{
    public SlowStockConsumerDefinition() => ConcurrentMessageLimit = 4;
}
