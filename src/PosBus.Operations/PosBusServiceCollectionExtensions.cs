using MassTransit;
using Microsoft.EntityFrameworkCore;
using PosBus.CloudSync;
using PosBus.Operations.Hosting;
using PosBus.Outbox.Configuration;
using PosBus.PeerSync;

namespace PosBus.Operations;

/// <summary>The one registration call of a POS app's host (and of the lane executable): every PosBus stage on the app's DbContext.</summary>
public static class PosBusServiceCollectionExtensions
{
    /// <summary>
    /// Registers PosBus on <typeparamref name="TDbContext"/> (which the app registers itself, on the lane database:
    /// <c>options.UsePosBusSqlite(services)</c>, with <c>modelBuilder.AddPosBusLedger()</c> in its model): capture (publish in
    /// <c>SaveChangesAsync</c>, inbox, local delivery), peer sync, cloud sync and operations, each switchable in section
    /// <c>PosBus</c> or through <see cref="PosBusConfigurator.Stages"/>. PosBus owns the <c>AddMassTransit</c> call (in-memory
    /// transport, <c>ConfigureEndpoints</c>); the app adds its consumers with <see cref="PosBusConfigurator.ConfigureBus"/>.
    /// Options bind from sections <c>Lane</c>, <c>Database</c>, <c>Outbox</c>, <c>PeerSync</c>, <c>CloudSync</c>,
    /// <c>Retention</c> and <c>Alarms</c> and are validated when the host starts, naming the key of a bad value.
    /// Map the endpoints with <see cref="PosBusEndpointExtensions.MapPosBus"/>.
    /// </summary>
    public static IServiceCollection AddPosBus<TDbContext>(
        this IServiceCollection services, IConfiguration configuration, Action<PosBusConfigurator>? configure = null)
        where TDbContext : DbContext
    {
        var posbus = new PosBusConfigurator(PosBusOptions.From(configuration));
        configure?.Invoke(posbus);
        var stages = posbus.Stages;
        services.AddSingleton(stages);
        LaneSettings.Add(services);
        if (stages.Capture || stages.CloudSync || posbus.Bus is not null)
        {
            AddBus<TDbContext>(services, posbus);
        }

        if (stages.Capture)
        {
            // What this process publishes travels through peers and the cloud even when other processes run those stages.
            services.AddPosBusPeerFrameLimit(configuration).AddPosBusCloudRequestLimit(configuration);
        }

        if (stages.PeerSync)
        {
            services.AddPosBusPeerSync(configuration);
        }

        if (stages.CloudSync)
        {
            services.AddPosBusCloudSync(configuration);
        }

        if (stages.Operations)
        {
            services.AddPosBusOperations(configuration);
            if (stages.CloudSync)
            {
                services.AddPosBusCloudOperations();
            }
        }

        return services;
    }

    static void AddBus<TDbContext>(IServiceCollection services, PosBusConfigurator posbus)
        where TDbContext : DbContext
    {
        void Configure(IBusRegistrationConfigurator x)
        {
            // No internet on a lane: MassTransit must not try to report usage telemetry.
            x.DisableUsageTelemetry();
            if (posbus.Stages.Capture)
            {
                x.AddPosBusOutbox<TDbContext>(posbus.Outbox);
            }

            if (posbus.Stages.CloudSync)
            {
                x.AddPosBusCloudSyncConsumers();
            }

            posbus.Bus?.Invoke(x);
            x.UsingInMemory((context, cfg) =>
            {
                posbus.Transport?.Invoke(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
        }

        if (posbus.UseMassTransitTestHarness)
        {
            services.AddMassTransitTestHarness(Configure);
        }
        else
        {
            services.AddMassTransit(Configure);
        }
    }
}
