using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PosBus.CloudSync.Cli;
using PosBus.Ledger.Configuration;
using PosBus.Ledger.Lane;
using PosBus.Ledger;
using PosBus.Ledger.Stores;
using PosBus.Ledger.Sqlite;
using PosBus.Operations.CloudReads;
using PosBus.Operations.Journey;
using PosBus.Operations.Metrics;
using PosBus.Operations.Alarms;
using PosBus.Operations.Readiness;
using PosBus.Operations.Retention;
using PosBus.Operations.Reconciliation;
using PosBus.Operations.Status;
using PosBus.PeerSync;
using Quartz;

namespace PosBus.Operations;

/// <summary>
/// Registers a lane's operations for any host: alarms and retention options (live, validated at start), status and its
/// contributors, and the parts that run once the host starts: Prometheus metrics, readiness checks, the backlog alarm
/// check and the retention job. A process that only reads (a CLI verb) never starts them.
/// </summary>
public static class OperationsServiceCollectionExtensions
{
    public static IServiceCollection AddPosBusOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LaneOptions>().BindConfiguration(LaneOptions.SectionName);
        services.AddOptions<LaneDatabaseOptions>().BindConfiguration(LaneDatabaseOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LaneDatabase>();
        services.TryAddSingleton<SyncLedger>();
        services.TryAddSingleton<DeliveryLeaseStore>();

        AddLiveOptions<AlarmOptions, AlarmOptionsValidator>(services, AlarmOptions.SectionName);
        AddLiveOptions<RetentionOptions, RetentionOptionsValidator>(services, RetentionOptions.SectionName);
        services.TryAddSingleton<LaneStatusReporter>();
        services.AddSingleton<ILaneStatusContributor, PeerStatusContributor>();
        services.AddSingleton<ILaneStatusContributor, OperationsStatusContributor>();
        services.TryAddSingleton<RetentionPass>();
        services.TryAddSingleton<LaneMetrics>();
        services.TryAddSingleton<MessageLookupStore>();
        // Journeys ask the configured peers even in a process that runs no peer stage (a CLI verb).
        services.AddOptions<PeerSyncOptions>().BindConfiguration(PeerSyncOptions.SectionName);
        services.TryAddSingleton<PeerMessageReader>();
        services.TryAddSingleton<MessageJourneyReader>();
        services.AddHostedService<BacklogAlarmService>();
        services.AddHealthChecks()
            .AddCheck<LaneDatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: ["ready"]);

        // The interval is read once, here (Quartz needs it to build the trigger); a bad value fails validation at start.
        var snapshot = configuration.GetSection(RetentionOptions.SectionName).Get<RetentionOptions>() ?? new RetentionOptions();
        var interval = snapshot.Interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : snapshot.Interval;
        services.AddQuartz(q =>
        {
            q.AddJob<RetentionJob>(job => job.WithIdentity(RetentionJob.Key).StoreDurably());
            q.AddTrigger(trigger =>
            {
                trigger.ForJob(RetentionJob.Key).WithIdentity(RetentionJob.TriggerKey).StartNow();
                trigger.WithSchedule(SimpleScheduleBuilder.Create().WithInterval(interval).RepeatForever());
            });
        });
        if (!services.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(QuartzHostedService)))
        {
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        }

        return services;
    }

    /// <summary>
    /// The cloud stage's operations: the <c>cloud</c> status key, and the cloud side of reconciliation and of message journeys. Call after
    /// <c>AddPosBusCloudSync</c>; the dead-letter and sync-now endpoints are mapped when the cloud stage is registered.
    /// </summary>
    public static IServiceCollection AddPosBusCloudOperations(this IServiceCollection services)
    {
        services.AddSingleton<ILaneStatusContributor, CloudStatusContributor>();
        services.TryAddSingleton<CloudFunctionReads>();
        services.TryAddSingleton<CloudSales>();
        services.TryAddSingleton<CloudMessageReader>();
        return services;
    }

    /// <summary>Whether the cloud stage's services are registered (the dead-letter and sync-now endpoints need them).</summary>
    internal static bool HasCloudStage(IServiceProvider services) => services.GetService<CloudSyncNow>() is not null;

    static void AddLiveOptions<TOptions, TValidator>(IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        services.AddSingleton<IOptionsMonitor<TOptions>, RejectingOptionsMonitor<TOptions>>();
    }
}
