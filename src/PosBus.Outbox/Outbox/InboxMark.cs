namespace PosBus.Outbox.Outbox;

/// <summary>"This consumer handled this message": written in the same transaction as the consumer's own changes.</summary>
sealed record InboxMark(Guid MessageId, string Consumer, DateTimeOffset ConsumedAt);
