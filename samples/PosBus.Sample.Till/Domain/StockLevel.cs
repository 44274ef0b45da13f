namespace PosBus.Sample.Till.Domain;

/// <summary>This lane's own view of stock: decremented in the same transaction as the sale.</summary>
public sealed class StockLevel
{
    public required string Sku { get; set; }
    public long Quantity { get; set; }
}
