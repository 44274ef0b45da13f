using System.Text.Json;
using PosBus.Contracts;
using PosBus.Ledger;

namespace PosBus.CloudSync.Tests.Support;

/// <summary>Ledger rows whose bodies are what the outbox stores: camelCase System.Text.Json of the contract records.</summary>
public static class TestMessages
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static LedgerRow Sale(string terminal, DateTimeOffset at, long cents = 1250)
    {
        var id = Guid.NewGuid();
        var sale = new SaleCompleted
        {
            MessageId = id,
            TerminalId = terminal,
            OccurredAt = at,
            SaleId = Guid.NewGuid(),
            ReceiptNumber = $"{terminal}-{id.ToString("N")[..8]}",
            Currency = "EUR",
            CashierId = "c-7",
            Lines = [new SaleLine { LineNo = 1, Sku = "T-COFFEE", Description = "Coffee", Quantity = 1, UnitPriceMinor = cents, TaxMinor = 0, LineTotalMinor = cents }],
            Payments = [new SalePayment { Tender = "cash", AmountMinor = cents }],
            SubtotalMinor = cents,
            TaxMinor = 0,
            TotalMinor = cents,
        };
        return Row(sale, PosTopics.Transaction, at);
    }

    /// <summary>An adjustment of <paramref name="sku"/>, by default a SKU of its own so that no other test's stock level moves.</summary>
    public static LedgerRow Inventory(string terminal, DateTimeOffset at, string? sku = null, int delta = -1) =>
        Row(new InventoryAdjusted
        {
            MessageId = Guid.NewGuid(), TerminalId = terminal, OccurredAt = at, Sku = sku ?? $"T-{Guid.NewGuid():N}", Delta = delta, Reason = InventoryReasons.Sale,
        }, PosTopics.Inventory, at);

    public static LedgerRow Customer(string terminal, DateTimeOffset at) =>
        Row(new CustomerUpserted
        {
            MessageId = Guid.NewGuid(), TerminalId = terminal, OccurredAt = at, CustomerId = $"T-{Guid.NewGuid():N}", Name = "Ada", LoyaltyPoints = 10,
        }, PosTopics.Customer, at);

    /// <summary>
    /// A message without <c>[PosTopic]</c> (topic <c>other</c>), as a lane-local command or a newer lane's new type is
    /// stored: its own fields only, none of the POS contract's (no terminalId, no occurredAt).
    /// </summary>
    public static LedgerRow Other(string terminal, DateTimeOffset at) => Row(
        Guid.NewGuid(), terminal, "urn:message:Pos.App:DrawerOpened", PosTopics.Other, JsonSerializer.Serialize(new { drawer = 2, openedBy = "c-7", at }, Json), at);

    /// <summary>A sale the cloud must refuse: its total does not match its lines.</summary>
    public static LedgerRow InvalidSale(string terminal, DateTimeOffset at)
    {
        var row = Sale(terminal, at);
        return row with { Body = row.Body.Replace("\"totalMinor\":1250", "\"totalMinor\":999", StringComparison.Ordinal) };
    }

    public static IReadOnlyList<LedgerRow> Mixed(string terminal, DateTimeOffset at, int count) =>
        Enumerable.Range(0, count).Select(i => (i % 3) switch
        {
            0 => Inventory(terminal, at),
            1 => Sale(terminal, at),
            _ => Customer(terminal, at),
        }).ToList();

    static LedgerRow Row<T>(T message, string topic, DateTimeOffset at) where T : IPosMessage =>
        Row(message.MessageId, message.TerminalId, $"urn:message:PosBus.Contracts:{typeof(T).Name}", topic, JsonSerializer.Serialize(message, Json), at);

    static LedgerRow Row(Guid id, string terminal, string messageType, string topic, string body, DateTimeOffset at) => new()
    {
        Sequence = 0,
        MessageId = id,
        OriginTerminal = terminal,
        MessageType = messageType,
        Topic = topic,
        ContentType = "application/json",
        Body = body,
        CreatedAt = at,
    };
}
