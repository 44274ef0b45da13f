namespace PosBus.Ledger;

/// <summary>"This consumer handled this message": written in the same transaction as the consumer's own changes.</summary>
public sealed record InboxMark(Guid MessageId, string Consumer, DateTimeOffset ConsumedAt);
