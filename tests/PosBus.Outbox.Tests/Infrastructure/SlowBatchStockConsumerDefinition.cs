using MassTransit;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>Batches of up to 20 adjustments, or what arrived within 20 ms of the first.</summary>
public sealed class SlowBatchStockConsumerDefinition : ConsumerDefinition<SlowBatchStockConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SlowBatchStockConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(20).SetTimeLimit(TimeSpan.FromMilliseconds(20)));
}
