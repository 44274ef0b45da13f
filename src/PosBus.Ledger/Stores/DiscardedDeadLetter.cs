namespace PosBus.Ledger.Stores;

/// <summary>A dead letter an operator discarded, as <c>dead-letters discarded</c> shows it.</summary>
public sealed record DiscardedDeadLetter
{
    public required Guid MessageId { get; init; }
    public required string OriginTerminal { get; init; }
    /// <summary>The origin lane's sequence.</summary>
    public required long Sequence { get; init; }
    /// <summary>True when the discarded row was this lane's copy of another lane's message.</summary>
    public bool IsReplica { get; init; }
    public required string Topic { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Why the cloud refused it.</summary>
    public string? LastError { get; init; }
    /// <summary>The operator's reason for discarding it.</summary>
    public required string Reason { get; init; }
    public required string DiscardedBy { get; init; }
    public required DateTimeOffset DiscardedAt { get; init; }
}
