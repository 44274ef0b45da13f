namespace PosBus.Ledger.Cloud;

/// <summary>Which rows a pass may upload, fixed at its start.</summary>
/// <param name="Now">Rows whose <c>next_attempt_at</c> is later are still backing off.</param>
/// <param name="PendingCreatedBy">A <c>pending</c> own row created at or before this goes without a peer ack.</param>
/// <param name="ReplicaCreatedBy">A held copy of another lane's message created at or before this goes on failover.</param>
public sealed record CloudEligibility(DateTimeOffset Now, DateTimeOffset PendingCreatedBy, DateTimeOffset ReplicaCreatedBy)
{
    /// <param name="now">The pass's start.</param>
    /// <param name="pendingUploadAfter">How old a <c>pending</c> row must be to go without a peer ack; null when the lane
    /// has no peers to wait for (then pending rows go at once).</param>
    /// <param name="failoverGrace">How old a held copy must be before this lane uploads it for its origin.</param>
    public static CloudEligibility At(DateTimeOffset now, TimeSpan? pendingUploadAfter, TimeSpan failoverGrace) => new(
        now,
        pendingUploadAfter is { } after ? now - after : DateTimeOffset.MaxValue,
        now - failoverGrace);
}
