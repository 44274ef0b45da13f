using Microsoft.Extensions.Options;
using PosBus.Ledger.Configuration;
using PosBus.Terminal.Hosting;
using PosBus.Terminal.Metrics;
using PosBus.Terminal.Operations.Alarms;
using PosBus.Terminal.Operations.Retention;
using PosBus.Terminal.Reconciliation;
using PosBus.Terminal.Status;
using Quartz;

namespace PosBus.Terminal.Operations;

/// <summary>Registers the lane's operations: alarms and retention options (live), their status keys, and in the running lane metrics, readiness, the alarm check and the retention job.</summary>
public static class OperationsServiceCollectionExtensions
{
    public static IServiceCollection AddLaneOperations(this IServiceCollection services, IConfiguration configuration, LaneMode mode)
    {
        AddLiveOptions<AlarmOptions, AlarmOptionsValidator>(services, AlarmOptions.SectionName);
        AddLiveOptions<RetentionOptions, RetentionOptionsValidator>(services, RetentionOptions.SectionName);
        services.AddSingleton<ILaneStatusContributor, OperationsStatusContributor>();
        services.AddSingleton<RetentionPass>();
        services.AddSingleton<CloudSales>();
        if (mode != LaneMode.Run)
        {
            return services;
        }

        services.AddSingleton<LaneMetrics>();
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

    static void AddLiveOptions<TOptions, TValidator>(IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        services.AddSingleton<IOptionsMonitor<TOptions>, RejectingOptionsMonitor<TOptions>>();
    }
}
