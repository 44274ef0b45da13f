namespace PosBus.Ledger.Sqlite;

/// <summary>
/// How soon a write must be on disk. A sale, and a peer's copy that is acked once stored, must survive power loss at
/// commit (<see cref="Durable"/>: the configured <c>synchronous</c>, FULL by default). PosBus's bookkeeping that is
/// re-derived after a loss (peer-ack and cloud-ack marks, delivery checkpoints, consumer inbox rows with their effects,
/// retention) commits <see cref="Deferred"/>: <c>synchronous=NORMAL</c>, on disk with the next durable commit or
/// checkpoint. In WAL mode that is still safe against a killed process; after a power cut the lane re-sends, re-uploads
/// or re-delivers, and peers, the cloud and the inbox drop the doubles. It keeps fsyncs off the lock a sale waits for.
/// </summary>
public enum CommitDurability
{
    Durable,
    Deferred,
}
