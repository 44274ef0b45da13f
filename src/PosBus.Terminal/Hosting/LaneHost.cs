using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PosBus.CloudSync;
using PosBus.Ledger;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using PosBus.Outbox.Configuration;
using PosBus.PeerSync;
using PosBus.Terminal.Configuration;
using PosBus.Terminal.Domain;
using PosBus.Terminal.Operations;
using PosBus.Terminal.Status;
using Serilog;

namespace PosBus.Terminal.Hosting;

/// <summary>Sets up a lane process: configuration, logging, the POS domain on the outbox, and per mode the rest.</summary>
public static class LaneHost
{
    /// <summary>A host for verbs that do not listen on the lane's port (simulate, status, dead letters).</summary>
    public static HostApplicationBuilder CreateToolBuilder(string[] args, LaneMode mode, IDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = true,
        });
        Configure(builder, mode, overrides);
        return builder;
    }

    public static void Configure(IHostApplicationBuilder builder, LaneMode mode, IDictionary<string, string?>? overrides = null)
    {
        LaneConfiguration.AddLaneSources(builder.Configuration, overrides);
        var configuration = builder.Configuration;
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(configuration)
                .Enrich.WithProperty("TerminalId", services.GetRequiredService<IOptions<LaneOptions>>().Value.TerminalId);
            if (mode == LaneMode.Run)
            {
                // The lane's own log file sits beside its database, so one folder holds a lane's whole story.
                var directory = Path.GetDirectoryName(services.GetRequiredService<IOptions<LaneDatabaseOptions>>().Value.DatabasePath)!;
                logger.WriteTo.File(Path.Combine(directory, "logs", "lane-.log"), rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14);
            }
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        AddLaneOptions(builder.Services);
        if (mode == LaneMode.Run)
        {
            // First of the hosted services: the lane's threads start behind the tills' (see SyncPriorityService).
            builder.Services.AddHostedService<SyncPriorityService>();
        }

        builder.Services.AddSingleton<LaneDatabase>();
        builder.Services.AddSingleton<SyncLedger>();
        builder.Services.AddSingleton<LedgerSignals>();
        builder.Services.AddSingleton<LaneDatabaseInitializer>();
        builder.Services.AddSingleton<LaneStatusReporter>();
        builder.Services.AddSingleton<ILaneStatusContributor, PeerStatusContributor>();
        if (mode != LaneMode.Writer)
        {
            // Tools need the cloud stage's services too (sync-now, dead letters, its status); only Run starts its scheduler.
            builder.Services.AddPosBusCloudSync(configuration);
            builder.Services.AddSingleton<ILaneStatusContributor, CloudStatusContributor>();
        }

        builder.Services.AddLaneOperations(configuration, mode);
        if (mode == LaneMode.Run)
        {
            // The listener and the dialers; the store secret is required from here on (validated at start).
            builder.Services.AddPosBusPeerSync(configuration);
        }

        if (mode == LaneMode.Tool)
        {
            return;
        }

        builder.Services.AddDbContextPool<PosDbContext>((sp, options) =>
            options.UseSqlite(sp.GetRequiredService<IOptions<LaneDatabaseOptions>>().Value.ConnectionString));
        builder.Services.AddScoped<CheckoutService>();
        builder.Services.AddMassTransit(x =>
        {
            x.AddPosBusOutbox<PosDbContext>(o => o.DeliveryEnabled = mode == LaneMode.Run);
            x.AddConsumer<StoreStockConsumer, StoreStockConsumerDefinition>();
            if (mode == LaneMode.Run)
            {
                x.AddPosBusCloudSyncConsumers();
            }

            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
    }

    static void AddLaneOptions(IServiceCollection services)
    {
        services.AddOptions<LaneOptions>().BindConfiguration(LaneOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LaneOptions>, LaneOptionsValidator>();
        services.AddOptions<LaneDatabaseOptions>().BindConfiguration(LaneDatabaseOptions.SectionName).ValidateOnStart();
        // An empty data directory means data/<TerminalId> under the current directory: two lanes on one PC never share a file.
        services.AddOptions<LaneDatabaseOptions>().PostConfigure<IOptions<LaneOptions>>((database, lane) =>
        {
            if (string.IsNullOrWhiteSpace(database.DataDirectory))
            {
                database.DataDirectory = Path.Combine("data", lane.Value.TerminalId);
            }
        });
        services.AddSingleton<IValidateOptions<LaneDatabaseOptions>, DatabaseOptionsValidator>();
        services.AddOptions<SyncPriorityOptions>().BindConfiguration(SyncPriorityOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SyncPriorityOptions>, SyncPriorityOptionsValidator>();
    }
}
