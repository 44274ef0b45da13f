namespace PosBus.Sample.Till.Domain;

/// <summary>
/// One inventory adjustment from any lane of the store (own or a peer's copy), applied once.
/// The store-wide stock of a SKU is the sum of its movements.
/// </summary>
public sealed class StoreStockMovement
{
    public required Guid MessageId { get; set; }
    public required string TerminalId { get; set; }
    public required string Sku { get; set; }
    public int Delta { get; set; }
    public DateTime OccurredAtUtc { get; set; }
}
