namespace PosBus.Ledger;

/// <summary>A snapshot of the lane's own outbox by state, for status output and alarms.</summary>
public sealed record LedgerCounts
{
    public long Pending { get; init; }
    public long PeerAck { get; init; }
    public long CloudAck { get; init; }
    public long DeadLetter { get; init; }
    /// <summary>Creation time of the oldest message not yet <c>cloud_ack</c> (dead letters excluded), or null.</summary>
    public DateTimeOffset? OldestNotCloudAckedAt { get; init; }
    /// <summary>Creation time of the oldest message still <c>pending</c>, or null.</summary>
    public DateTimeOffset? OldestPendingAt { get; init; }
    /// <summary>The highest sequence written so far.</summary>
    public long LastSequence { get; init; }
}
