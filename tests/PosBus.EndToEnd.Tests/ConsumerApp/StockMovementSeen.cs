namespace PosBus.EndToEnd.Tests.ConsumerApp;

/// <summary>One stock adjustment as the app's consumer applied it (table <c>store_stock_movements</c>); a double would show as a second row.</summary>
public sealed class StockMovementSeen
{
    public long Id { get; set; }
    public required Guid MessageId { get; set; }
    public required string TerminalId { get; set; }
    public required int ConsumedBy { get; set; }
}
