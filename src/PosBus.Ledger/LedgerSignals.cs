namespace PosBus.Ledger;

/// <summary>The lane's in-process wake-ups (one singleton per lane).</summary>
public sealed class LedgerSignals
{
    /// <summary>Own outbox rows were committed (wakes peer senders and local delivery).</summary>
    public LedgerSignal OutboxCommitted { get; } = new();

    /// <summary>Peer copies were stored (wakes local delivery of replicas).</summary>
    public LedgerSignal ReplicaStored { get; } = new();

    /// <summary>Rows became eligible for the cloud (e.g. first peer ack), for an eager sync.</summary>
    public LedgerSignal CloudEligible { get; } = new();
}
