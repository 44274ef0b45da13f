namespace PosBus.Outbox.Model;

/// <summary>
/// A copy of another lane's message held in <c>replica</c>, read-only through EF Core for a POS app's LINQ. Its own
/// shape (local and origin sequence, <c>cloud_status</c>), hence not the ledger's <c>LedgerRow</c>.
/// </summary>
public sealed class ReplicaRecord
{
    public long LocalSequence { get; init; }
    public string OriginTerminal { get; init; } = "";
    public long OriginSequence { get; init; }
    public Guid MessageId { get; init; }
    public string MessageType { get; init; } = "";
    public string Topic { get; init; } = "";
    public string Body { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public string CloudStatus { get; init; } = "";
}
