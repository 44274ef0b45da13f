namespace PosBus.Outbox.Tests.Infrastructure;

public sealed class Sale
{
    public Guid Id { get; set; }
    /// <summary>Id of the SaleCompleted published with it: links the sale to its ledger row.</summary>
    public Guid MessageId { get; set; }
    public long TotalMinor { get; set; }
    public List<SaleLineRow> Lines { get; set; } = [];
}
