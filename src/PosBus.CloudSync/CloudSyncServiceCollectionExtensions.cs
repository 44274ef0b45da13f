using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using PosBus.CloudSync.Cli;
using PosBus.CloudSync.Consumers;
using PosBus.CloudSync.Http;
using PosBus.CloudSync.Messages;
using PosBus.CloudSync.Scheduling;
using PosBus.Ledger;
using PosBus.Ledger.Cloud;
using PosBus.Ledger.Configuration;
using PosBus.Ledger.Stores;
using Quartz;

namespace PosBus.CloudSync;

/// <summary>Registers the cloud stage. The host registers the lane database (<c>LaneDatabase</c>) and <c>LaneOptions</c>.</summary>
public static class CloudSyncServiceCollectionExtensions
{
    /// <summary>
    /// Options (section <c>CloudSync</c>, validated at start), the function client,
    /// the pass and the CLI services; when the stage is on, the Quartz job and its hosted scheduler; else one warning.
    /// Call <see cref="AddPosBusCloudSyncConsumers"/> inside <c>AddMassTransit</c> as well.
    /// </summary>
    public static IServiceCollection AddPosBusCloudSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CloudSyncOptions>()
            .Bind(configuration.GetSection(CloudSyncOptions.SectionName))
            .PostConfigure(o => CloudSyncConfiguration.ApplyPeers(o, configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CloudSyncOptions>>(new CloudSyncOptionsValidator(
            CloudSyncConfiguration.ServiceKeyInFile(configuration), CloudSyncConfiguration.StoreKeyInFile(configuration)));
        // Live retuning: a valid edit of the section applies from the next pass; an invalid one is logged and ignored.
        services.AddSingleton<IOptionsMonitor<CloudSyncOptions>, RejectingOptionsMonitor<CloudSyncOptions>>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SyncLedger>();
        services.TryAddSingleton<CloudLedger>();
        services.TryAddSingleton<SupabaseFunctionClient>();
        services.TryAddSingleton<CloudBatchUploader>();
        services.TryAddSingleton<CloudUploadWindow>();
        services.TryAddSingleton<CloudSyncPass>();
        services.TryAddSingleton<CloudSyncNow>();
        services.TryAddSingleton<DeadLetters>();
        services.TryAddSingleton<CloudSyncStatusReader>();
        services.AddHttpClient(SupabaseFunctionClient.HttpClientName)
            .ConfigureHttpClient((sp, http) => http.Timeout = sp.GetRequiredService<IOptionsMonitor<CloudSyncOptions>>().CurrentValue.HttpTimeout)
            .RedactLoggedHeaders(_ => true);

        services.AddPosBusCloudRequestLimit(configuration);
        var snapshot = new CloudSyncOptions();
        configuration.GetSection(CloudSyncOptions.SectionName).Bind(snapshot);
        if (!snapshot.IsActive)
        {
            services.AddHostedService<CloudSyncDisabledNotice>();
            return services;
        }

        services.AddQuartz(q =>
        {
            q.AddJob<CloudSyncJob>(job => job.WithIdentity(CloudSyncJob.Key).StoreDurably());
            q.AddTrigger(trigger =>
            {
                trigger.ForJob(CloudSyncJob.Key).WithIdentity(CloudSyncJob.TriggerKey).StartNow();
                trigger.WithSchedule(CloudSyncSchedule.Of(snapshot));
            });
        });
        services.AddHostedService<CloudScheduleRetuner>();
        if (!services.Any(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService) && d.ImplementationType == typeof(QuartzHostedService)))
        {
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        }

        return services;
    }

    /// <summary>Registers the upload consumer and its retry policy; call inside <c>AddMassTransit</c> (or the test harness).</summary>
    public static IBusRegistrationConfigurator AddPosBusCloudSyncConsumers(this IBusRegistrationConfigurator configurator)
    {
        configurator.AddConsumer<UploadCloudBatchConsumer, UploadCloudBatchConsumerDefinition>();
        // The upload command never goes through the ledger: its consumer must not make this process a local-delivery candidate.
        configurator.AddSingleton(new BusOnlyMessageType(typeof(UploadCloudBatch)));
        return configurator;
    }

    /// <summary>
    /// The cloud's request limit (<c>CloudSync:MaxRequestBytes</c>) as a <see cref="IMessageSizeLimit"/> on new messages, also
    /// in a process without the cloud stage (an app beside <c>posbus run</c>): its messages are uploaded all the same.
    /// </summary>
    public static IServiceCollection AddPosBusCloudRequestLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var snapshot = new CloudSyncOptions();
        configuration.GetSection(CloudSyncOptions.SectionName).Bind(snapshot);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageSizeLimit>(new CloudRequestSizeLimit(snapshot.MaxRequestBytes)));
        return services;
    }
}
