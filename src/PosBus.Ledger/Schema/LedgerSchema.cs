using Microsoft.Data.Sqlite;

namespace PosBus.Ledger.Schema;

/// <summary>
/// The sync ledger's tables and the one way to create or upgrade them: <see cref="EnsureCreatedAsync"/> runs
/// <see cref="LedgerMigrations"/> at start-up of every PosBus component, so a POS app's own EF migrations never need to
/// know the ledger. Table names are a contract (the seed's monitoring queries, ops scripts): never rename one.
/// </summary>
public static class LedgerSchema
{
    /// <summary>The lane's own messages; the seed's <c>SELECT status, COUNT(*) FROM outbox GROUP BY status</c> works on it.</summary>
    public const string OutboxTable = "outbox";

    /// <summary>Copies of other lanes' messages, keyed by (origin, origin sequence).</summary>
    public const string ReplicaTable = "replica";

    /// <summary>Dead letters an operator discarded, whole, with the reason, who and when (<c>dead-letters discard</c>).</summary>
    public const string DeadLetterDiscardTable = "dead_letter_discard";

    /// <summary>Per peer: the highest own sequence it acknowledged (acks are cumulative, so k-of-n is derived).</summary>
    public const string PeerAckTable = "peer_ack_mark";

    /// <summary>Consumer inbox: (message id, consumer) pairs already handled, for at-least-once delivery without doubles.</summary>
    public const string InboxTable = "inbox";

    /// <summary>Local-delivery progress per stream (own outbox, replicas).</summary>
    public const string CheckpointTable = "delivery_checkpoint";

    /// <summary>Local dead letters: a message a lane-local consumer still failed on after its retries, with the exception.</summary>
    public const string ConsumerDeadLetterTable = "consumer_dead_letter";

    /// <summary>Small shared facts between a running lane and its CLI (last sync, outcome).</summary>
    public const string LaneStateTable = "lane_state";

    /// <summary>
    /// Creates the ledger tables in a new file, or upgrades those of an existing lane database in place (rows kept), and
    /// turns WAL on. Safe to call from several processes at once and on every start.
    /// </summary>
    public static Task EnsureCreatedAsync(SqliteConnection connection, CancellationToken cancellationToken = default) =>
        LedgerMigrations.MigrateAsync(connection, cancellationToken);
}
