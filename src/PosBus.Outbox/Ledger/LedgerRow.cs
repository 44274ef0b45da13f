namespace PosBus.Outbox.Ledger;

/// <summary>
/// One message as the ledger holds it: the MassTransit message body and headers byte for byte plus its
/// sync state. For a replica, <see cref="Sequence"/> is the origin lane's sequence.
/// </summary>
public sealed record LedgerRow
{
    public required long Sequence { get; init; }
    public required Guid MessageId { get; init; }
    public required string OriginTerminal { get; init; }
    /// <summary>MassTransit message type URNs, ';'-separated.</summary>
    public required string MessageType { get; init; }
    public required string Topic { get; init; }
    public required string ContentType { get; init; }
    /// <summary>The message itself, serialized (JSON), without envelope.</summary>
    public required string Body { get; init; }
    /// <summary>MassTransit headers as a JSON object, or null.</summary>
    public string? Headers { get; init; }
    public Guid? ConversationId { get; init; }
    public Guid? CorrelationId { get; init; }
    public Guid? InitiatorId { get; init; }
    public string? SourceAddress { get; init; }
    public string? DestinationAddress { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string Status { get; init; } = LedgerStatus.Pending;
    public string? PeerAckedBy { get; init; }
    public DateTimeOffset? PeerAckedAt { get; init; }
    public int CloudAttempts { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public string? LastError { get; init; }
}
