using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Stores;

namespace PosBus.PeerSync.Sender;

/// <summary>
/// This lane's cloud settlement (<see cref="SyncLedger.ReadCloudSettlementAsync"/>) as every outbound link's heartbeat
/// carries it: read from SQLite at most once per heartbeat interval and shared, so a lane with many peers does not read
/// it once per link per heartbeat.
/// </summary>
internal sealed class CloudWatermark(SyncLedger ledger, IOptions<PeerSyncOptions> options, TimeProvider time, ILogger<CloudWatermark> logger) : IDisposable
{
    /// <summary>Characters of a dead letter's reason that travel to peers.</summary>
    public const int ReasonLength = 200;

    readonly TimeSpan _maxAge = TimeSpan.FromMilliseconds(options.Value.HeartbeatIntervalMs);

    // Dead letters listed per ping: within the frame limit with room to spare (a reason escapes to at most ~6 bytes a character).
    readonly int _maxDeadLetters = Math.Clamp((options.Value.MaxFrameBytes - 1024) / (ReasonLength * 6 + 64), 1, 200);
    readonly SemaphoreSlim _reading = new(1, 1);
    CloudSettlement? _settlement;
    long? _readAt;

    /// <summary>The settlement as read at most one heartbeat interval ago, or null while the database has not said yet.</summary>
    public async Task<CloudSettlement?> ReadAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_readAt is not { } readAt || time.GetElapsedTime(readAt) >= _maxAge)
            {
                var started = time.GetTimestamp();
                _settlement = await ReadLedgerAsync(cancellationToken).ConfigureAwait(false) ?? _settlement;
                _readAt = started;
            }

            return _settlement;
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>The ledger's answer, or null when the database cannot say right now: a busy database must not drop any link.</summary>
    async Task<CloudSettlement?> ReadLedgerAsync(CancellationToken cancellationToken)
    {
        try
        {
            var settlement = await ledger.ReadCloudSettlementAsync(_maxDeadLetters, cancellationToken).ConfigureAwait(false);
            return settlement with
            {
                DeadLetters = settlement.DeadLetters.Select(d => d with { Reason = d.Reason is { Length: > ReasonLength } r ? r[..ReasonLength] : d.Reason }).ToList(),
            };
        }
        catch (SqliteException e)
        {
            logger.LogDebug(e, "Cloud watermark not read this heartbeat interval");
            return null;
        }
    }

    public void Dispose() => _reading.Dispose();
}
