using MassTransit;

namespace PosBus.Terminal.Domain;

/// <summary>
/// Batches of up to 200 adjustments, or whatever arrived within 50 ms of the first: a handful of transactions a second
/// at most, and the store-wide stock view stays a fraction of a second behind the tills. One batch at a time, since
/// the lane has one write lock anyway.
/// </summary>
public sealed class StoreStockConsumerDefinition : ConsumerDefinition<StoreStockConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<StoreStockConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(200)
            .SetTimeLimit(TimeSpan.FromMilliseconds(50))
            .SetConcurrencyLimit(1));
}
