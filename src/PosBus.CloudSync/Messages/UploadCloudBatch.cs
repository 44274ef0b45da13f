namespace PosBus.CloudSync.Messages;

/// <summary>
/// Lane-internal command: run a cloud upload pass now. Sent straight through the bus (never the outbox: it is not a
/// POS message and must not reach peers or the cloud). Keep the namespace: MassTransit routes by full type name.
/// </summary>
public sealed record UploadCloudBatch
{
    /// <summary>When it was asked for; a pass started after this already served it.</summary>
    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>Who asked: "schedule", "sync-now", …, for logs.</summary>
    public string Reason { get; init; } = "schedule";
}
