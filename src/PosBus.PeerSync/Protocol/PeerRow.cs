using PosBus.Outbox.Ledger;

namespace PosBus.PeerSync.Protocol;

/// <summary>A ledger row on the wire: the payload columns only (body and headers as the exact stored text), no sync state.</summary>
internal sealed record PeerRow
{
    public required long Sequence { get; init; }
    public required Guid MessageId { get; init; }
    public required string OriginTerminal { get; init; }
    public required string MessageType { get; init; }
    public required string Topic { get; init; }
    public required string ContentType { get; init; }
    public required string Body { get; init; }
    public string? Headers { get; init; }
    public Guid? ConversationId { get; init; }
    public Guid? CorrelationId { get; init; }
    public Guid? InitiatorId { get; init; }
    public string? SourceAddress { get; init; }
    public string? DestinationAddress { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public static PeerRow From(LedgerRow row) => new()
    {
        Sequence = row.Sequence,
        MessageId = row.MessageId,
        OriginTerminal = row.OriginTerminal,
        MessageType = row.MessageType,
        Topic = row.Topic,
        ContentType = row.ContentType,
        Body = row.Body,
        Headers = row.Headers,
        ConversationId = row.ConversationId,
        CorrelationId = row.CorrelationId,
        InitiatorId = row.InitiatorId,
        SourceAddress = row.SourceAddress,
        DestinationAddress = row.DestinationAddress,
        CreatedAt = row.CreatedAt,
    };

    public LedgerRow ToLedgerRow() => new()
    {
        Sequence = Sequence,
        MessageId = MessageId,
        OriginTerminal = OriginTerminal,
        MessageType = MessageType,
        Topic = Topic,
        ContentType = ContentType,
        Body = Body,
        Headers = Headers,
        ConversationId = ConversationId,
        CorrelationId = CorrelationId,
        InitiatorId = InitiatorId,
        SourceAddress = SourceAddress,
        DestinationAddress = DestinationAddress,
        CreatedAt = CreatedAt,
    };
}
