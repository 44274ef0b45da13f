using MassTransit;
using Microsoft.Extensions.Logging;
using PosBus.CloudSync.Consumers;
using PosBus.CloudSync.Messages;
using PosBus.Ledger;
using PosBus.Ledger.Cloud;
using Quartz;

namespace PosBus.CloudSync.Scheduling;

/// <summary>
/// Fired by Quartz on the configured interval or cron: sends <see cref="UploadCloudBatch"/> to the upload consumer
/// through the bus (not the outbox) and records the next fire time for <c>status --json</c>.
/// </summary>
[DisallowConcurrentExecution]
public sealed class CloudSyncJob(IBus bus, CloudLedger ledger, TimeProvider time, ILogger<CloudSyncJob> logger) : IJob
{
    public static readonly JobKey Key = new("cloud-sync", "posbus");
    public static readonly TriggerKey TriggerKey = new("cloud-sync-trigger", "posbus");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{UploadCloudBatchConsumerDefinition.QueueName}")).ConfigureAwait(false);
        await endpoint.Send(new UploadCloudBatch { RequestedAt = now, Reason = "schedule" }, cancellationToken).ConfigureAwait(false);
        if (context.NextFireTimeUtc is { } next)
        {
            try
            {
                await ledger.WriteStateAsync(new Dictionary<string, string> { [CloudSyncStateKeys.NextRunAt] = LedgerTime.ToText(next) }, now, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not record the next cloud sync time");
            }
        }
    }
}
