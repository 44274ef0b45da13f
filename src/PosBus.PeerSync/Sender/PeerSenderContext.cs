using Microsoft.Extensions.Logging;
using PosBus.Ledger;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Stores;

namespace PosBus.PeerSync.Sender;

/// <summary>What every outbound link of a lane shares: settings, identity, the ledger, wake-ups, the cloud watermark, TLS trust, clock and log.</summary>
internal sealed record PeerSenderContext(
    PeerSyncOptions Options,
    LaneOptions Lane,
    SyncLedger Ledger,
    LedgerSignals Signals,
    CloudWatermark CloudWatermark,
    PeerTlsTrust Trust,
    TimeProvider Time,
    ILogger Logger);
