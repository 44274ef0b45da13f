namespace PosBus.CloudSync.Http;

/// <summary>The function's verdict on one message: <see cref="CloudResultStatus"/> plus a reason when invalid.</summary>
public sealed record CloudMessageResult(Guid MessageId, string Status, string? Reason = null);
