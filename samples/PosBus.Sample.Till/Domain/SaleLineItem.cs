namespace PosBus.Sample.Till.Domain;

public sealed class SaleLineItem
{
    public Guid SaleId { get; set; }
    public int LineNo { get; set; }
    public required string Sku { get; set; }
    public required string Description { get; set; }
    public int Quantity { get; set; }
    public long UnitPriceMinor { get; set; }
    public long TaxMinor { get; set; }
    public long LineTotalMinor { get; set; }
}
