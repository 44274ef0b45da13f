namespace PosBus.Sample.Till.Domain;

/// <summary>A catalogue item. Prices in minor units; tax as basis points (1900 = 19 %).</summary>
public sealed class Product
{
    public required string Sku { get; set; }
    public required string Name { get; set; }
    public long PriceMinor { get; set; }
    public int TaxRateBasisPoints { get; set; }
}
