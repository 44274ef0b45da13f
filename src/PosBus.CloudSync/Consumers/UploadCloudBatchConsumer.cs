using MassTransit;
using Microsoft.Extensions.Logging;
using PosBus.CloudSync.Http;
using PosBus.CloudSync.Messages;

namespace PosBus.CloudSync.Consumers;

/// <summary>
/// Runs a <see cref="CloudSyncPass"/> for an <see cref="UploadCloudBatch"/>. A transient failure is thrown so that the
/// endpoint's retry policy (<see cref="UploadCloudBatchConsumerDefinition"/>) tries again with backoff; a configuration
/// error is not (it is logged by the pass and retried at the next scheduled run only). A pass that ended on its time
/// budget with a backlog left asks for the next one at once, so that a lane back from a long outage drains back to
/// back instead of one budget per scheduled interval.
/// </summary>
public sealed class UploadCloudBatchConsumer(CloudSyncPass pass, TimeProvider time, ILogger<UploadCloudBatchConsumer> logger) : IConsumer<UploadCloudBatch>
{
    /// <summary>The <see cref="UploadCloudBatch.Reason"/> of the pass a partial pass asks for.</summary>
    public const string Backlog = "backlog";

    public async Task Consume(ConsumeContext<UploadCloudBatch> context)
    {
        // Commands queue up while the cloud is down; one pass that started after a command was sent has served it.
        if (context.GetRetryAttempt() == 0 && pass.LastStartedAt > context.Message.RequestedAt)
        {
            logger.LogDebug("Upload request from {RequestedAt:o} already served by a later pass", context.Message.RequestedAt);
            return;
        }

        var result = await pass.RunAsync(context.CancellationToken).ConfigureAwait(false);
        if (result.Outcome == CloudSyncOutcome.TransientFailure)
        {
            throw new CloudTransientException(result.Error ?? "transient failure");
        }

        if (result.Outcome == CloudSyncOutcome.Partial)
        {
            var endpoint = await context.GetSendEndpoint(new Uri($"queue:{UploadCloudBatchConsumerDefinition.QueueName}")).ConfigureAwait(false);
            await endpoint.Send(new UploadCloudBatch { RequestedAt = time.GetUtcNow(), Reason = Backlog }, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
