using Quartz;

namespace PosBus.CloudSync.Scheduling;

/// <summary>The upload trigger's schedule from <see cref="CloudSyncOptions"/>: a cron expression wins over the interval.</summary>
public static class CloudSyncSchedule
{
    public static IScheduleBuilder Of(CloudSyncOptions options) => string.IsNullOrWhiteSpace(options.Cron)
        ? SimpleScheduleBuilder.Create().WithInterval(options.Interval).RepeatForever()
        : CronScheduleBuilder.Create(options.Cron);

    /// <summary>A new upload trigger (same key as the one registered at start), firing now and then on the schedule.</summary>
    public static ITrigger Trigger(CloudSyncOptions options) => TriggerBuilder.Create()
        .ForJob(CloudSyncJob.Key).WithIdentity(CloudSyncJob.TriggerKey).StartNow().WithSchedule(Of(options)).Build();

    /// <summary>A readable form for logs: the cron expression, else the interval.</summary>
    public static string Describe(CloudSyncOptions options) =>
        string.IsNullOrWhiteSpace(options.Cron) ? $"every {options.Interval}" : $"cron '{options.Cron}'";
}
