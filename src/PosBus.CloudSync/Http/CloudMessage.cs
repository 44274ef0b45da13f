namespace PosBus.CloudSync.Http;

/// <summary>One message of an upload batch, in the function's field names.</summary>
public sealed record CloudMessage
{
    public required Guid MessageId { get; init; }
    /// <summary>The lane where the message was created (differs from the uploader on failover).</summary>
    public required string OriginTerminalId { get; init; }
    public required string Topic { get; init; }
    /// <summary>The MassTransit message body, JSON text sent unchanged as <c>data</c>.</summary>
    public required string Data { get; init; }
    /// <summary>The message's creation time (<c>timestamp</c>).</summary>
    public required DateTimeOffset Timestamp { get; init; }
    public DateTimeOffset? PeerAckedAt { get; init; }
}
