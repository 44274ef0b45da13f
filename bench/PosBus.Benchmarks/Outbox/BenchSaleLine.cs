namespace PosBus.Benchmarks.Outbox;

public sealed class BenchSaleLine
{
    public long Id { get; set; }
    public Guid SaleId { get; set; }
    public string Sku { get; set; } = "";
    public int Quantity { get; set; }
    public long UnitPriceMinor { get; set; }
}
