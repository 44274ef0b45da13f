using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using PosBus.PeerSync.Hosting;
using PosBus.PeerSync.Listener;
using PosBus.PeerSync.Sender;
using PosBus.PeerSync.Status;

namespace PosBus.PeerSync;

public static class PeerSyncServiceCollectionExtensions
{
    /// <summary>
    /// Peer sync for a lane: options (section <c>PeerSync</c>, validated at start), Kestrel on
    /// <c>BindAddress:Port</c> (TLS when configured), one supervised sender per peer URL, the listener's services and
    /// <see cref="PeerSyncStatus"/>. Map the endpoint with <see cref="PeerSyncEndpointExtensions.MapPosBusPeerSync"/>.
    /// </summary>
    public static IServiceCollection AddPosBusPeerSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PeerSyncOptions>().Bind(configuration.GetSection(PeerSyncOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PeerSyncOptions>, PeerSyncOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IConfigureOptions<KestrelServerOptions>, PeerKestrelSetup>());

        // The ledger basics the outbox registration also provides; TryAdd keeps one instance whoever registers first.
        services.AddOptions<LaneOptions>().Bind(configuration.GetSection(LaneOptions.SectionName));
        services.AddOptions<LaneDatabaseOptions>().Bind(configuration.GetSection(LaneDatabaseOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LaneDatabase>();
        services.TryAddSingleton<SyncLedger>();
        services.TryAddSingleton<LedgerSignals>();

        services.TryAddSingleton<PeerLedgerReady>();
        services.TryAddSingleton<PeerSyncState>();
        services.TryAddSingleton<PeerSyncStatus>();
        services.TryAddSingleton<PeerTlsTrust>();
        services.TryAddSingleton<CloudWatermark>();
        services.TryAddSingleton<ReplicaStore>();
        services.TryAddSingleton<PeerListener>();
        services.AddHostedService<PeerSenderService>();
        return services.AddPosBusPeerFrameLimit(configuration);
    }

    /// <summary>
    /// The peer frame limit (<c>PeerSync:MaxFrameBytes</c>) as a <see cref="IMessageSizeLimit"/> on new messages, also in a
    /// process without the peer stage (an app beside <c>posbus run</c>): its messages travel through the lane's streams all the same.
    /// </summary>
    public static IServiceCollection AddPosBusPeerFrameLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var snapshot = new PeerSyncOptions();
        configuration.GetSection(PeerSyncOptions.SectionName).Bind(snapshot);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageSizeLimit>(new PeerFrameSizeLimit(snapshot.MaxFrameBytes)));
        return services;
    }
}
