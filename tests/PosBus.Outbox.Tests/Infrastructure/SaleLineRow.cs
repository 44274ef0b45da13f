namespace PosBus.Outbox.Tests.Infrastructure;

public sealed class SaleLineRow
{
    public long Id { get; set; }
    public Guid SaleId { get; set; }
    public string Sku { get; set; } = "";
    public int Quantity { get; set; }
}
