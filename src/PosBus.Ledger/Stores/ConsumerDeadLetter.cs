namespace PosBus.Ledger.Stores;

/// <summary>A message a lane-local consumer still failed on after its retries (table <c>consumer_dead_letter</c>).</summary>
public sealed record ConsumerDeadLetter
{
    /// <summary>The consumer's full type name, as in <c>inbox.consumer</c>.</summary>
    public required string Consumer { get; init; }
    public required Guid MessageId { get; init; }
    public required string MessageType { get; init; }
    public required string ExceptionType { get; init; }
    public required string ExceptionMessage { get; init; }
    /// <summary>The first frames of the last attempt's stack trace.</summary>
    public string? StackSummary { get; init; }
    /// <summary>How many times the consumer ran the message and threw, over all deliveries and replays.</summary>
    public required int Attempts { get; init; }
    public required DateTimeOffset FailedAt { get; init; }
    /// <summary>Set by <c>dead-letters retry --consumer</c>: the lane replays it to this consumer at its next delivery pass.</summary>
    public DateTimeOffset? ReplayRequestedAt { get; init; }
}
