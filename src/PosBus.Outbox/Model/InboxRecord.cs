namespace PosBus.Outbox.Model;

/// <summary>"Consumer X handled message Y" in <c>inbox</c>, read-only through EF Core.</summary>
public sealed class InboxRecord
{
    public Guid MessageId { get; init; }
    public string Consumer { get; init; } = "";
    public DateTimeOffset ConsumedAt { get; init; }
}
