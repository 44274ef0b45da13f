using MassTransit;
using Microsoft.Extensions.Options;
using PosBus.CloudSync.Http;

namespace PosBus.CloudSync.Consumers;

/// <summary>
/// One upload at a time on queue <see cref="QueueName"/>, retried on <see cref="CloudTransientException"/> only:
/// exponential from <see cref="CloudSyncOptions.BackoffBaseMs"/> to <see cref="CloudSyncOptions.BackoffMaxMs"/>,
/// <see cref="CloudSyncOptions.MaxRetries"/> times. MassTransit's exponential policy draws each step's delta at random
/// between 0.8 and 1.2 of the configured delta: that is the jitter.
/// </summary>
public sealed class UploadCloudBatchConsumerDefinition : ConsumerDefinition<UploadCloudBatchConsumer>
{
    public const string QueueName = "posbus-cloud-upload";

    readonly CloudSyncOptions _options;

    public UploadCloudBatchConsumerDefinition(IOptions<CloudSyncOptions> options)
    {
        _options = options.Value;
        EndpointName = QueueName;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<UploadCloudBatchConsumer> consumerConfigurator, IRegistrationContext context)
    {
        var baseInterval = TimeSpan.FromMilliseconds(_options.BackoffBaseMs);
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<CloudTransientException>();
            r.Exponential(_options.MaxRetries, baseInterval, TimeSpan.FromMilliseconds(_options.BackoffMaxMs), baseInterval);
        });
    }
}
