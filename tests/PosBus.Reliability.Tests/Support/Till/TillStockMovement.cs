namespace PosBus.Reliability.Tests.Support.Till;

/// <summary>A stock adjustment of any lane that the till's consumer applied once (table <c>store_stock_movements</c>).</summary>
public sealed class TillStockMovement
{
    public required Guid MessageId { get; set; }
    public required string TerminalId { get; set; }
    public required string Sku { get; set; }
    public int Delta { get; set; }
}
