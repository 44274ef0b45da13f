namespace PosBus.Ledger.Stores;

/// <summary>
/// Where one message stands on this lane: its own copy (<see cref="IsReplica"/> false, <see cref="Status"/> one of
/// <see cref="LedgerStatus.All"/>) or a peer's copy held here (<see cref="Status"/> <see cref="LedgerStatus.Held"/>,
/// <see cref="LedgerStatus.CloudAck"/> or <see cref="LedgerStatus.DeadLetter"/>), and which consumers handled it.
/// </summary>
public sealed record LedgerMessage(
    Guid MessageId,
    bool IsReplica,
    long Sequence,
    string OriginTerminal,
    string MessageType,
    string Topic,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PeerAckedAt,
    string? PeerAckedBy,
    DateTimeOffset? CloudAckedAt,
    int CloudAttempts,
    string? LastError,
    IReadOnlyList<ConsumedMark> Consumers)
{
    /// <summary>When this lane received its copy from the origin (replicas only).</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>A peer holds a copy (own message) or this lane holds the copy (replica).</summary>
    public bool IsPeerAcked => IsReplica || Status is LedgerStatus.PeerAck or LedgerStatus.CloudAck || PeerAckedAt is not null;

    /// <summary>The cloud acknowledged it (inserted or duplicate).</summary>
    public bool IsCloudAcked => Status == LedgerStatus.CloudAck;

    /// <summary>Given up: the cloud refused it for its content.</summary>
    public bool IsDeadLetter => Status == LedgerStatus.DeadLetter;
}

/// <summary>A consumer's inbox mark: it applied the message at <see cref="ConsumedAt"/>.</summary>
public sealed record ConsumedMark(string Consumer, DateTimeOffset ConsumedAt);
