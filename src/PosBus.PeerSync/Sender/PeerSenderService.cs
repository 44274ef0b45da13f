using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Stores;
using PosBus.PeerSync.Hosting;
using PosBus.PeerSync.Status;

namespace PosBus.PeerSync.Sender;

/// <summary>Supervises one outbound link per configured peer URL for the life of the lane.</summary>
internal sealed class PeerSenderService(
    IOptions<PeerSyncOptions> options,
    IOptions<LaneOptions> lane,
    SyncLedger ledger,
    LedgerSignals signals,
    CloudWatermark cloudWatermark,
    PeerSyncState state,
    PeerLedgerReady ready,
    PeerTlsTrust trust,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    /// <summary>The ledger tables exist once the lane has started, whether or not any peer is configured.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ready.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var context = new PeerSenderContext(options.Value, lane.Value, ledger, signals, cloudWatermark, trust, time, loggers.CreateLogger<PeerLink>());
        var links = options.Value.PeerUris()
            .Select(url => new PeerLink(url, state.Link(url), context))
            .Select(link => Task.Run(() => link.RunAsync(stoppingToken), stoppingToken));
        await Task.WhenAll(links).ConfigureAwait(false);
    }
}
