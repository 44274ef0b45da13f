using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Configuration;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using PosBus.Outbox.Delivery;
using PosBus.Outbox.Inbox;
using PosBus.Outbox.Outbox;
using PosBus.Outbox.Sqlite;

namespace PosBus.Outbox.Configuration;

/// <summary>The one call a POS app makes inside <c>AddMassTransit</c> (or <c>AddMassTransitTestHarness</c>).</summary>
public static class PosBusOutboxRegistrationExtensions
{
    /// <summary>
    /// Routes every scoped <see cref="IPublishEndpoint"/> / <see cref="ISendEndpointProvider"/> into the SQLite ledger
    /// through <typeparamref name="TDbContext"/>'s own transaction, delivers committed rows to the in-process bus, adds
    /// inbox dedup to every consumer configured by <c>ConfigureEndpoints</c> (batch consumers included), and makes
    /// <c>IBus.Publish</c> of a POS message throw. Options bind from configuration sections "Outbox", "Lane" and "Database" when an
    /// <c>IConfiguration</c> is registered; <paramref name="configure"/> runs after that binding.
    /// </summary>
    public static IBusRegistrationConfigurator AddPosBusOutbox<TDbContext>(
        this IBusRegistrationConfigurator configurator, Action<PosBusOutboxOptions>? configure = null)
        where TDbContext : DbContext
    {
        IServiceCollection services = configurator;
        configurator.DisableUsageTelemetry();

        OptionalConfiguration.Bind<PosBusOutboxOptions>(services, PosBusOutboxOptions.SectionName);
        OptionalConfiguration.Bind<LaneOptions>(services, LaneOptions.SectionName);
        OptionalConfiguration.Bind<LaneDatabaseOptions>(services, LaneDatabaseOptions.SectionName);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddOptions<PosBusOutboxOptions>().ValidateOnStart();
        services.AddOptions<LaneOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PosBusOutboxOptions>, PosBusOutboxOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LaneOptions>, LaneOptionsValidator>());

        services.TryAddSingleton<LaneDatabase>();
        services.TryAddSingleton<SyncLedger>();
        services.TryAddSingleton<InboxStore>();
        services.TryAddSingleton<LedgerSignals>();
        services.TryAddSingleton<OutboxBufferRegistry>();
        services.TryAddSingleton<OutboxCommitNotifier>();
        services.TryAddSingleton<OutboxRowFactory>();
        services.TryAddSingleton<LocalMessageTypes>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeliveryLeaseStore>();
        services.TryAddSingleton<DeliveryOwnership>();
        services.TryAddSingleton<LocalEndpoints>();
        services.TryAddSingleton<ConsumerCompletion>();
        services.TryAddSingleton<DeadLetterReplays>();
        services.TryAddSingleton<ConsumerDeadLetterStore>();
        services.TryAddSingleton<ConsumerRetryPolicy>();
        // Live retuning of the consumer retry: a valid edit applies from the next failing message, an invalid one is logged and ignored.
        services.TryAddSingleton<IOptionsChangeTokenSource<PosBusOutboxOptions>>(sp => new ConfigurationChangeTokenSource<PosBusOutboxOptions>(
            sp.GetService<IConfiguration>() ?? new ConfigurationBuilder().Build()));
        services.TryAddSingleton<IOptionsMonitor<PosBusOutboxOptions>, RejectingOptionsMonitor<PosBusOutboxOptions>>();
        services.TryAddSingleton<OutboxSaveChangesInterceptor>();
        services.TryAddSingleton<OutboxTransactionInterceptor>();
        services.TryAddSingleton(sp => new BackgroundWriterInterceptor(
            sp.GetRequiredService<OutboxBufferRegistry>(), sp.GetRequiredService<IOptions<LaneDatabaseOptions>>().Value));
        services.TryAddSingleton(sp => new SqlitePragmaInterceptor(sp.GetRequiredService<IOptions<LaneDatabaseOptions>>().Value));

        // Applies to AddDbContext and AddDbContextPool alike (the pool builds its options from the root provider once).
        services.ConfigureDbContext<TDbContext>((sp, options) => options.AddInterceptors(
            sp.GetRequiredService<SqlitePragmaInterceptor>(),
            sp.GetRequiredService<OutboxSaveChangesInterceptor>(),
            sp.GetRequiredService<OutboxTransactionInterceptor>(),
            sp.GetRequiredService<BackgroundWriterInterceptor>()));

        services.Replace(ServiceDescriptor.Scoped<IScopedBusContextProvider<IBus>, OutboxBusContextProvider<TDbContext>>());
        configurator.AddPublishObserver<DirectPublishGuard>();
        configurator.AddSendObserver<DirectPublishGuard>();
        configurator.AddConfigureEndpointsCallback((context, name, endpoint) =>
        {
            var local = context.GetRequiredService<LocalEndpoints>().Add(name, endpoint.InputAddress);
            endpoint.UseFilter(new EndpointCompletionFilter(local, context.GetRequiredService<ConsumerCompletion>(), context.GetRequiredService<DeadLetterReplays>()));
            endpoint.ConnectConsumerConfigurationObserver(new InboxConsumerObserver<TDbContext>());
            var types = new LocalMessageTypesObserver(context.GetRequiredService<LocalMessageTypes>(), local);
            endpoint.ConnectConsumerConfigurationObserver(types);
            endpoint.ConnectHandlerConfigurationObserver(types);
            endpoint.ConnectSagaConfigurationObserver(types);
        });

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LedgerSchemaService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DeliveryHostedService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WalCheckpointService>());
        return configurator;
    }
}
