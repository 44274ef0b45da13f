namespace PosBus.CloudSync.Ledger;

/// <summary>Which rows a pass may upload, fixed at its start.</summary>
/// <param name="Now">Rows whose <c>next_attempt_at</c> is later are still backing off.</param>
/// <param name="PendingCreatedBy">A <c>pending</c> own row created at or before this goes without a peer ack.</param>
/// <param name="ReplicaCreatedBy">A held copy of another lane's message created at or before this goes on failover.</param>
public sealed record CloudEligibility(DateTimeOffset Now, DateTimeOffset PendingCreatedBy, DateTimeOffset ReplicaCreatedBy)
{
    public static CloudEligibility At(DateTimeOffset now, CloudSyncOptions options) => new(
        now,
        options.HasPeers == true ? now - options.PendingUploadAfter : DateTimeOffset.MaxValue,
        now - options.FailoverGrace);
}
