namespace PosBus.Sample.Till.Domain;

/// <summary>A completed sale as the lane's POS stores it.</summary>
public sealed class Sale
{
    public Guid Id { get; set; }
    public required string ReceiptNumber { get; set; }
    public required string TerminalId { get; set; }
    public required string CashierId { get; set; }
    public string? CustomerId { get; set; }
    public required string Currency { get; set; }
    public long SubtotalMinor { get; set; }
    public long TaxMinor { get; set; }
    public long TotalMinor { get; set; }
    public DateTime CompletedAtUtc { get; set; }
    public List<SaleLineItem> Lines { get; set; } = [];
    public List<SaleTender> Tenders { get; set; } = [];
}
