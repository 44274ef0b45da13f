namespace PosBus.Outbox.Model;

/// <summary>
/// A row of the lane's own <c>outbox</c>, read-only through EF Core for a POS app's LINQ (states change only through
/// the ledger's stores). Not PosBus.Ledger's <c>LedgerRow</c>: an EF entity type needs settable properties mapped by
/// <see cref="PosBusLedgerModelBuilderExtensions"/>, and this one exposes the sync state (status, acks, attempts) a
/// <c>LedgerRow</c> leaves out.
/// </summary>
public sealed class OutboxRecord
{
    public long Sequence { get; init; }
    public Guid MessageId { get; init; }
    public string OriginTerminal { get; init; } = "";
    public string MessageType { get; init; } = "";
    public string Topic { get; init; } = "";
    public string Body { get; init; } = "";
    public string? Headers { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string Status { get; init; } = "";
    public string? PeerAckedBy { get; init; }
    public DateTimeOffset? PeerAckedAt { get; init; }
    public DateTimeOffset? CloudAckedAt { get; init; }
    public int CloudAttempts { get; init; }
    public string? LastError { get; init; }
}
