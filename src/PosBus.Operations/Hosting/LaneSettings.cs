using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Lane;
using PosBus.Ledger;
using PosBus.Ledger.Stores;
using PosBus.Ledger.Sqlite;

namespace PosBus.Operations.Hosting;

/// <summary>Who the lane is (<c>Lane</c>) and where its database lives (<c>Database</c>), validated at start by key.</summary>
static class LaneSettings
{
    public static void Add(IServiceCollection services)
    {
        services.AddOptions<LaneOptions>().BindConfiguration(LaneOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LaneOptions>, LaneOptionsValidator>());
        services.AddOptions<LaneDatabaseOptions>().BindConfiguration(LaneDatabaseOptions.SectionName).ValidateOnStart();
        // An empty data directory means data/<TerminalId> under the current directory: two lanes on one PC never share a file.
        services.AddOptions<LaneDatabaseOptions>().PostConfigure<IOptions<LaneOptions>>((database, lane) =>
        {
            if (string.IsNullOrWhiteSpace(database.DataDirectory))
            {
                database.DataDirectory = Path.Combine("data", lane.Value.TerminalId);
            }
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LaneDatabaseOptions>, DatabaseOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // The ledger basics every stage uses; TryAdd keeps one instance whichever stage registers them too.
        services.TryAddSingleton<LaneDatabase>();
        services.TryAddSingleton<SyncLedger>();
        services.TryAddSingleton<LedgerSignals>();
        services.TryAddSingleton<MessageLookupStore>();
    }
}
