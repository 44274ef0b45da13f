namespace PosBus.Sample.Till.Domain;

public sealed class SaleTender
{
    public Guid SaleId { get; set; }
    public int TenderNo { get; set; }
    public required string Tender { get; set; }
    public long AmountMinor { get; set; }
    public string? Reference { get; set; }
}
