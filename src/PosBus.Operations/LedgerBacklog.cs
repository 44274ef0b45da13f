using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;

namespace PosBus.Operations;

/// <summary>What the backlog looks like now: the oldest message waiting in each unfinished state, and the oldest unsent sale.</summary>
/// <param name="OldestPendingAt">Oldest own message no peer holds yet.</param>
/// <param name="OldestNotCloudAckedAt">Oldest own message the cloud does not hold yet (pending or peer_ack).</param>
/// <param name="OldestPeerAckAt">Oldest own message held by a peer but not by the cloud.</param>
/// <param name="OldestDeadLetterAt">Oldest message the cloud refused.</param>
/// <param name="OldestUnsentSaleAt">Oldest sale (topic <c>transaction</c>) not yet in the cloud.</param>
public sealed record LedgerBacklog(
    DateTimeOffset? OldestPendingAt,
    DateTimeOffset? OldestPeerAckAt,
    DateTimeOffset? OldestNotCloudAckedAt,
    DateTimeOffset? OldestDeadLetterAt,
    DateTimeOffset? OldestUnsentSaleAt)
{
    public static async Task<LedgerBacklog> ReadAsync(LaneDatabase database, CancellationToken cancellationToken)
    {
        var oldest = await new BacklogStore(database).ReadOldestAsync(cancellationToken).ConfigureAwait(false);
        return new LedgerBacklog(oldest.PendingAt, oldest.PeerAckAt, Earliest(oldest.PendingAt, oldest.PeerAckAt), oldest.DeadLetterAt, oldest.UnsentSaleAt);
    }

    public static double? AgeSeconds(DateTimeOffset now, DateTimeOffset? since) =>
        since is { } s ? Math.Round(Math.Max(0, (now - s).TotalSeconds), 3) : null;

    static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
