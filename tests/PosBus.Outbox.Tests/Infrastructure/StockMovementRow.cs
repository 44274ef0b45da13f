namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>Written by <see cref="BatchStockConsumer"/>: one row per adjustment each time the consumer really applied it.</summary>
public sealed class StockMovementRow
{
    public long Id { get; set; }
    public Guid MessageId { get; set; }
    public required string Sku { get; set; }
    public int Delta { get; set; }
}
