using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;

namespace PosBus.PeerSync.Status;

/// <summary>
/// The <c>peers</c> and <c>replicas</c> of <c>status --json</c>. <see cref="ReadFromDatabaseAsync"/> needs only the
/// lane database (for a CLI beside a running lane); <see cref="ReadAsync"/> adds the running lane's live links.
/// </summary>
public sealed class PeerSyncStatus(LaneDatabase database, PeerSyncState state, IOptions<PeerSyncOptions> options, TimeProvider time)
{
    readonly SyncLedger _ledger = new(database);

    /// <summary>Configured peers with their live link (connected, skew) merged with the acknowledgement marks in the database.</summary>
    public async Task<PeerSyncReport> ReadAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var maxSkew = options.Value.MaxClockSkewMs;
        var marks = await ReadMarksAsync(_ledger, cancellationToken).ConfigureAwait(false);
        var peers = new List<PeerReport>();
        foreach (var url in options.Value.PeerUris())
        {
            var link = state.Link(url);
            var mark = link.PeerId is { } id ? marks.GetValueOrDefault(id) : null;
            var report = await ReportAsync(_ledger, link.PeerId, mark, now, cancellationToken).ConfigureAwait(false);
            peers.Add(report with
            {
                Url = url.ToString(),
                Connected = link.Connected,
                LastAckAt = link.LastAckAt ?? report.LastAckAt,
                ClockSkewMs = link.ClockSkewMs,
                ClockSkewExceeded = link.ClockSkewMs is { } skew && Math.Abs(skew) > maxSkew,
            });
        }

        // Peers that acked once but are no longer configured still show (their marks hold the cloud back from nothing, but ops want to see them).
        foreach (var mark in marks.Values.Where(m => peers.All(p => p.Id != m.PeerId)))
        {
            peers.Add(await ReportAsync(_ledger, mark.PeerId, mark, now, cancellationToken).ConfigureAwait(false) with { Connected = false });
        }

        return new PeerSyncReport(peers, await new ReplicaStore(database).ReadReportsAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>What the database alone tells: one entry per peer that ever acknowledged, and the replicas held. No live link facts.</summary>
    public static async Task<PeerSyncReport> ReadFromDatabaseAsync(LaneDatabase database, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var ledger = new SyncLedger(database);
        var peers = new List<PeerReport>();
        foreach (var mark in (await ReadMarksAsync(ledger, cancellationToken).ConfigureAwait(false)).Values)
        {
            peers.Add(await ReportAsync(ledger, mark.PeerId, mark, now, cancellationToken).ConfigureAwait(false));
        }

        return new PeerSyncReport(peers, await new ReplicaStore(database).ReadReportsAsync(cancellationToken).ConfigureAwait(false));
    }

    static async Task<PeerReport> ReportAsync(SyncLedger ledger, string? peerId, PeerAckMark? mark, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var through = mark?.AckedThrough ?? 0;
        var (lagMessages, oldest) = await ledger.ReadLagAsync(through, cancellationToken).ConfigureAwait(false);
        return new PeerReport
        {
            Id = peerId,
            LastAckAt = mark?.AckedAt,
            AckedThrough = through,
            LagMessages = lagMessages,
            LagSeconds = oldest is { } o ? Math.Max(0, (now - o).TotalSeconds) : 0,
        };
    }

    static async Task<Dictionary<string, PeerAckMark>> ReadMarksAsync(SyncLedger ledger, CancellationToken cancellationToken) =>
        (await ledger.ReadPeerMarksAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.PeerId, StringComparer.Ordinal);
}
