using Microsoft.Extensions.Options;
using Quartz;

namespace PosBus.Operations.Retention;

/// <summary>Quartz job running a <see cref="RetentionPass"/> every <see cref="RetentionOptions.Interval"/>; logs what it removed.</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(RetentionPass pass, IOptionsMonitor<RetentionOptions> options, ILogger<RetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("retention", "posbus");
    public static readonly TriggerKey TriggerKey = new("retention-trigger", "posbus");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!options.CurrentValue.Enabled)
        {
            return;
        }

        try
        {
            var r = await pass.RunAsync(cancellationToken).ConfigureAwait(false);
            var level = r.Outbox + r.Replica + r.Inbox > 0 ? LogLevel.Information : LogLevel.Debug;
            logger.Log(level, "Retention removed {Outbox} cloud_ack outbox rows, {Replica} replica copies, {Inbox} inbox entries", r.Outbox, r.Replica, r.Inbox);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A busy or failing database is retried at the next run; nothing was half-deleted (each batch is atomic).
            logger.LogWarning(ex, "Retention run failed; it runs again in {Interval}", options.CurrentValue.Interval);
        }
    }
}
