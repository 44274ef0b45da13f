using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;
using PosBus.Ledger;

namespace PosBus.Outbox.Delivery;

/// <summary>
/// A ledger row as MassTransit's <see cref="OutboxMessageSendPipe"/> expects it. The ledger keeps the bare
/// message; delivery wraps it in a MassTransit JSON envelope so that every bus deserializes it with its
/// default serializer, keeping the original message id, conversation and headers.
/// </summary>
sealed class LedgerRowMessage : OutboxMessageContext
{
    const string EnvelopeContentType = "application/vnd.masstransit+json";

    LedgerRowMessage(LedgerRow row, Uri? destination, string? replayConsumer)
    {
        SequenceNumber = row.Sequence;
        MessageId = row.MessageId;
        MessageType = row.MessageType;
        ConversationId = row.ConversationId;
        CorrelationId = row.CorrelationId;
        InitiatorId = row.InitiatorId;
        SourceAddress = ToUri(row.SourceAddress);
        DestinationAddress = destination;
        SentTime = row.CreatedAt.UtcDateTime;
        Body = Envelope(row, destination, replayConsumer);
    }

    /// <summary><paramref name="replayConsumer"/>: a local dead letter's replay for that consumer only (<see cref="ReplayHeader"/>).</summary>
    public static LedgerRowMessage From(LedgerRow row, Uri? destination, string? replayConsumer = null) => new(row, destination, replayConsumer);

    public long SequenceNumber { get; }
    public Guid MessageId { get; }
    public string ContentType => EnvelopeContentType;
    public string MessageType { get; }
    public string Body { get; }
    public IReadOnlyDictionary<string, object> Properties { get; } = new Dictionary<string, object>();
    public Guid? RequestId => null;
    public Guid? CorrelationId { get; }
    public Guid? ConversationId { get; }
    public Guid? InitiatorId { get; }
    public DateTime? ExpirationTime => null;
    public Uri? SourceAddress { get; }
    public Uri? DestinationAddress { get; }
    public Uri? ResponseAddress => null;
    public Uri? FaultAddress => null;
    public DateTime? SentTime { get; }
    public Headers Headers => EmptyHeaders.Instance;
    public HostInfo Host => HostMetadataCache.Host;
    Guid? MessageContext.MessageId => MessageId;

    static string Envelope(LedgerRow row, Uri? destination, string? replayConsumer)
    {
        var buffer = new ArrayBufferWriter<byte>(row.Body.Length + 512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("messageId", row.MessageId);
            WriteOptional(writer, "conversationId", row.ConversationId);
            WriteOptional(writer, "correlationId", row.CorrelationId);
            WriteOptional(writer, "initiatorId", row.InitiatorId);
            if (row.SourceAddress is not null)
            {
                writer.WriteString("sourceAddress", row.SourceAddress);
            }

            if (destination is not null)
            {
                writer.WriteString("destinationAddress", destination.ToString());
            }

            writer.WriteStartArray("messageType");
            foreach (var urn in row.MessageType.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                writer.WriteStringValue(urn);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("message");
            writer.WriteRawValue(row.Body, skipInputValidation: true);
            writer.WriteString("sentTime", row.CreatedAt.UtcDateTime);
            writer.WritePropertyName("headers");
            writer.WriteRawValue(replayConsumer is null ? row.Headers ?? "{}" : WithReplayHeader(row.Headers, replayConsumer), skipInputValidation: true);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    static string WithReplayHeader(string? headers, string consumer)
    {
        var merged = (headers is null ? null : JsonNode.Parse(headers) as JsonObject) ?? [];
        merged[ReplayHeader.Name] = consumer;
        return merged.ToJsonString();
    }

    static void WriteOptional(Utf8JsonWriter writer, string name, Guid? value)
    {
        if (value is { } id)
        {
            writer.WriteString(name, id);
        }
    }

    static Uri? ToUri(string? text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
}
