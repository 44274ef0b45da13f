using MassTransit;

namespace PosBus.Sample.Till.Domain;

/// <summary>
/// Batches of up to 50 adjustments, or whatever arrived within 50 ms of the first: a few transactions a second, and the
/// store-wide stock view stays a fraction of a second behind the tills. One batch at a time, since the lane has one write
/// lock anyway. Not larger: a till that wants the lock waits for the whole batch's save, and with 200 a batch held it for
/// 18 ms at p50 and up to 29 ms while two tills sold during an upload, which alone pushed their p99 commit past 50 ms.
/// </summary>
public sealed class StoreStockConsumerDefinition : ConsumerDefinition<StoreStockConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<StoreStockConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(50)
            .SetTimeLimit(TimeSpan.FromMilliseconds(50))
            .SetConcurrencyLimit(1));
}
