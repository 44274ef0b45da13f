using Microsoft.Extensions.Options;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Sqlite;
using PosBus.Operations;
using PosBus.Terminal.Configuration;
using PosBus.Terminal.Simulation;
using Serilog;

namespace PosBus.Terminal.Hosting;

/// <summary>
/// Sets up a lane process on PosBus's public entry point (<c>AddPosBus</c>) with a ledger-only DbContext: configuration,
/// logging, and per mode the stages it runs.
/// </summary>
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
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.Services.AddOptions<SyncPriorityOptions>().BindConfiguration(SyncPriorityOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SyncPriorityOptions>, SyncPriorityOptionsValidator>();
        if (mode == LaneMode.Run)
        {
            // First of the hosted services: the lane's threads start behind the tills' (see SyncPriorityService).
            builder.Services.AddHostedService<SyncPriorityService>();
        }

        builder.Services.AddSingleton<LaneDatabaseInitializer>();
        builder.Services.AddDbContextPool<LaneLedgerDbContext>((services, options) => options.UsePosBusSqlite(services));
        builder.Services.AddScoped<SimulatedCheckout>();
        builder.Services.AddPosBus<LaneLedgerDbContext>(configuration, posbus => Stages(posbus, mode));
    }

    static void Stages(PosBusConfigurator posbus, LaneMode mode)
    {
        switch (mode)
        {
            case LaneMode.Run:
                // The lane itself: every stage its configuration leaves on. It has no consumers, so it runs no local delivery
                // and an app's process with consumers on the same file delivers.
                break;
            case LaneMode.Writer:
                // A writer beside a running lane: only the outbox's write path.
                posbus.Stages.PeerSync = posbus.Stages.CloudSync = posbus.Stages.Operations = false;
                posbus.ConfigureOutbox(o => o.DeliveryEnabled = false);
                break;
            case LaneMode.Tool:
                // Reads or edits the ledger (status, dead letters, sync-now, reconcile): the cloud stage's and operations'
                // services, never started; no peer stage, so its store secret is not required.
                posbus.Stages.Capture = posbus.Stages.PeerSync = false;
                posbus.Stages.CloudSync = posbus.Stages.Operations = true;
                break;
        }
    }
}
