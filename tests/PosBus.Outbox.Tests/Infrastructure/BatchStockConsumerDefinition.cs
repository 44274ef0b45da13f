using MassTransit;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>Batches of up to 50 adjustments, or what arrived within 100 ms of the first.</summary>
public sealed class BatchStockConsumerDefinition : ConsumerDefinition<BatchStockConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<BatchStockConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(50).SetTimeLimit(TimeSpan.FromMilliseconds(100)));
}
