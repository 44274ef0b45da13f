using MassTransit;
using Microsoft.Extensions.Logging;
using PosBus.CloudSync.Http;
using PosBus.CloudSync.Messages;

namespace PosBus.CloudSync.Consumers;

/// <summary>
/// Runs a <see cref="CloudSyncPass"/> for an <see cref="UploadCloudBatch"/>. A transient failure is thrown so that the
/// endpoint's retry policy (<see cref="UploadCloudBatchConsumerDefinition"/>) tries again with backoff; a configuration
/// error is not (it is logged by the pass and retried at the next scheduled run only).
/// </summary>
public sealed class UploadCloudBatchConsumer(CloudSyncPass pass, ILogger<UploadCloudBatchConsumer> logger) : IConsumer<UploadCloudBatch>
{
    public async Task Consume(ConsumeContext<UploadCloudBatch> context)
    {
        // Commands queue up while the cloud is down; one pass that started after a command was sent has served it.
        if (context.GetRetryAttempt() == 0 && pass.LastStartedAt > context.Message.RequestedAt)
        {
            logger.LogDebug("Upload request from {RequestedAt:o} already served by a later pass", context.Message.RequestedAt);
            return;
        }

        var result = await pass.RunAsync(context.CancellationToken);
        if (result.Outcome == CloudSyncOutcome.TransientFailure)
        {
            throw new CloudTransientException(result.Error ?? "transient failure");
        }
    }
}
