namespace PosBus.CloudSync.Ledger;

/// <summary>
/// A ledger row chosen for upload, with only the columns the upload needs: an own message, or a peer's copy uploaded
/// on failover.
/// </summary>
/// <param name="Sequence">The row's key in its table: <c>outbox.sequence</c>, or <c>replica.local_sequence</c>.</param>
public sealed record CloudCandidate(
    long Sequence,
    bool IsReplica,
    Guid MessageId,
    string OriginTerminal,
    string Topic,
    string Body,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PeerAckedAt,
    int CloudAttempts);
