using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.Options;
using PosBus.Contracts;
using PosBus.Ledger;
using PosBus.Ledger.Lane;

namespace PosBus.Outbox.Outbox;

/// <summary>
/// Turns a MassTransit <see cref="SendContext{T}"/> into a ledger row: the message alone as camelCase JSON
/// (what the cloud stores as <c>data</c>), its headers as a JSON object, its type URNs, topic and origin.
/// </summary>
sealed class OutboxRowFactory(IOptions<LaneOptions> lane, TimeProvider? timeProvider = null)
{
    /// <summary>MassTransit's System.Text.Json settings, without indentation.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(SystemTextJsonMessageSerializer.Options) { WriteIndented = false };

    public const string ContentType = "application/json";

    static readonly ConcurrentDictionary<Type, string> MessageTypes = new();

    readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public LedgerRow Create<T>(SendContext<T> context)
        where T : class
    {
        var message = context.Message;
        if (message is IPosMessage pos)
        {
            // One id everywhere: envelope, ledger, peers, cloud dedup and inbox.
            context.MessageId = pos.MessageId;
        }

        var messageType = message.GetType();
        return new LedgerRow
        {
            Sequence = 0,
            MessageId = context.MessageId ?? NewId.NextGuid(),
            OriginTerminal = lane.Value.TerminalId,
            MessageType = MessageTypes.GetOrAdd(typeof(T), static _ => string.Join(';', MessageTypeCache<T>.MessageTypeNames)),
            Topic = PosTopics.Of(messageType),
            ContentType = ContentType,
            Body = JsonSerializer.Serialize(message, messageType, JsonOptions),
            Headers = SerializeHeaders(context.Headers),
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            SourceAddress = context.SourceAddress?.ToString(),
            DestinationAddress = context.DestinationAddress?.ToString(),
            CreatedAt = _time.GetUtcNow(),
        };
    }

    static string? SerializeHeaders(SendHeaders headers)
    {
        Dictionary<string, object>? values = null;
        foreach (var (key, value) in headers.GetAll())
        {
            (values ??= new Dictionary<string, object>(StringComparer.Ordinal))[key] = value;
        }

        return values is null ? null : JsonSerializer.Serialize(values, JsonOptions);
    }
}
