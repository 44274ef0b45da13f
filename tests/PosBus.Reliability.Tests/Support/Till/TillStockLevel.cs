namespace PosBus.Reliability.Tests.Support.Till;

/// <summary>The till's own stock of a SKU (table <c>stock_levels</c>), decremented in the sale's transaction.</summary>
public sealed class TillStockLevel
{
    public required string Sku { get; set; }
    public long Quantity { get; set; }
}
