using MassTransit;
using Microsoft.Extensions.Options;
using PosBus.CloudSync.Http;

namespace PosBus.CloudSync.Consumers;

/// <summary>
/// One upload at a time on queue <see cref="QueueName"/>, retried on <see cref="CloudTransientException"/> only:
/// exponential from <see cref="CloudSyncOptions.BackoffBaseMs"/> to <see cref="CloudSyncOptions.BackoffMaxMs"/>,
/// <see cref="CloudSyncOptions.MaxRetries"/> times, as configured now (<see cref="LiveExponentialRetryPolicy"/>).
/// MassTransit's exponential policy draws each step's delta at random between 0.8 and 1.2 of the configured delta:
/// that is the jitter.
/// </summary>
public sealed class UploadCloudBatchConsumerDefinition : ConsumerDefinition<UploadCloudBatchConsumer>
{
    public const string QueueName = "posbus-cloud-upload";

    readonly IOptionsMonitor<CloudSyncOptions> _options;

    public UploadCloudBatchConsumerDefinition(IOptionsMonitor<CloudSyncOptions> options)
    {
        _options = options;
        EndpointName = QueueName;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<UploadCloudBatchConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<CloudTransientException>();
            r.SetRetryPolicy(filter => new LiveExponentialRetryPolicy(filter, _options));
        });
    }
}
