namespace PosBus.Ledger.Stores;

/// <summary>One message the cloud refused, as <c>dead-letters list</c> shows it.</summary>
public sealed record DeadLetter
{
    public required Guid MessageId { get; init; }
    /// <summary>The origin lane's sequence.</summary>
    public required long Sequence { get; init; }
    public required string Topic { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? LastError { get; init; }
    public int Attempts { get; init; }
    /// <summary>The lane that created it; another lane's id for a failover copy.</summary>
    public required string OriginTerminal { get; init; }
    /// <summary>True for a copy of another lane's message (table <c>replica</c>).</summary>
    public bool IsReplica { get; init; }
}
