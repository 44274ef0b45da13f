namespace PosBus.Ledger;

/// <summary>
/// One message as the ledger holds it: the MassTransit message body and headers byte for byte, stamped with its
/// origin and sequence. The one row type of every stage: capture writes it, peer sync sends it (it is also the wire shape
/// of a batch row), peers store it as a replica, local delivery hands it to the bus. Its sync state (status, acks,
/// attempts) is not part of it: each stage reads the state it needs through its store. For a replica,
/// <see cref="Sequence"/> is the origin lane's sequence.
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
}
