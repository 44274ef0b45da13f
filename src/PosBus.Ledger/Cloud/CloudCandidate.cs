namespace PosBus.Ledger.Cloud;

/// <summary>
/// A ledger row chosen for upload, with only the columns the upload needs: an own message, or a peer's copy uploaded
/// on failover. Not a <see cref="LedgerRow"/> on purpose: the upload is the ledger's hottest read and needs 8 of its
/// columns plus sync state a <see cref="LedgerRow"/> does not carry (attempts, peer ack time, which table it is in).
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
