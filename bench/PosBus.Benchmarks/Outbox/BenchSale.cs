namespace PosBus.Benchmarks.Outbox;

public sealed class BenchSale
{
    public Guid Id { get; set; }
    public string ReceiptNumber { get; set; } = "";
    public string CashierId { get; set; } = "";
    public long TotalMinor { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<BenchSaleLine> Lines { get; set; } = [];
}
