using System.Globalization;
using System.Text.Json.Nodes;

namespace PosBus.CloudFunction.Tests;

/// <summary>Builds upload batches in the wire shape a lane sends (camelCase, money in minor units).</summary>
public static class Messages
{
    // .NET's round-trip format: 7 fractional digits, as MassTransit's System.Text.Json writes them.
    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A batch of copies of the messages, so one message object can be posted again.</summary>
    public static JsonObject Batch(string terminalId, params JsonObject[] messages) => new()
    {
        ["terminalId"] = terminalId,
        ["storeId"] = "store-1",
        ["messages"] = new JsonArray(messages.Select(m => m.DeepClone()).ToArray()),
    };

    /// <summary>A batch naming <paramref name="storeId"/> (null: no storeId at all, as a store key allows).</summary>
    public static JsonObject StoreBatch(string? storeId, string terminalId, params JsonObject[] messages)
    {
        var batch = Batch(terminalId, messages);
        if (storeId is null) batch.Remove("storeId");
        else batch["storeId"] = storeId;
        return batch;
    }

    /// <summary>A store id no other test uses (1-32 letters, digits, '-').</summary>
    public static string NewStoreId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(32, prefix.Length + 13)];

    public static JsonObject Envelope(string topic, JsonObject data, DateTimeOffset? at = null) => new()
    {
        ["messageId"] = data["messageId"]!.GetValue<string>(),
        ["topic"] = topic,
        ["data"] = data,
        ["timestamp"] = Iso(at ?? DateTimeOffset.UtcNow),
        ["peerAckedAt"] = Iso(DateTimeOffset.UtcNow),
    };

    /// <summary>A consistent sale: two lines, tax on top, paid in cash with change.</summary>
    public static JsonObject Sale(string terminalId, Guid? messageId = null, string sku = "SKU-MILK")
    {
        var data = new JsonObject
        {
            ["messageId"] = (messageId ?? Guid.NewGuid()).ToString(),
            ["terminalId"] = terminalId,
            ["occurredAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), // +00:00 form
            ["saleId"] = Guid.NewGuid().ToString(),
            ["receiptNumber"] = $"{terminalId}-{Random.Shared.Next(1_000_000)}",
            ["currency"] = "EUR",
            ["cashierId"] = "cashier-1",
            ["customerId"] = null,
            ["lines"] = new JsonArray(
                Line(1, sku, 2, 129, 18),
                Line(2, "SKU-BREAD", 1, 300, 21)),
            ["payments"] = new JsonArray(new JsonObject { ["tender"] = "cash", ["amountMinor"] = 1000, ["reference"] = null }),
            ["subtotalMinor"] = 558,
            ["taxMinor"] = 39,
            ["totalMinor"] = 597,
        };
        return Envelope("transaction", data);
    }

    static JsonObject Line(int no, string sku, int qty, long price, long tax) => new()
    {
        ["lineNo"] = no,
        ["sku"] = sku,
        ["description"] = sku.ToLowerInvariant(),
        ["quantity"] = qty,
        ["unitPriceMinor"] = price,
        ["taxMinor"] = tax,
        ["lineTotalMinor"] = qty * price,
    };

    public static JsonObject Inventory(string terminalId, string sku, int delta, string reason = "sale") => Envelope("inventory", new JsonObject
    {
        ["messageId"] = Guid.NewGuid().ToString(),
        ["terminalId"] = terminalId,
        ["occurredAt"] = Iso(DateTimeOffset.UtcNow),
        ["sku"] = sku,
        ["delta"] = delta,
        ["reason"] = reason,
        ["saleId"] = null,
    });

    public static JsonObject Customer(string terminalId, string customerId, string name, DateTimeOffset occurredAt, Guid? messageId = null) =>
        Envelope("customer", new JsonObject
        {
            ["messageId"] = (messageId ?? Guid.NewGuid()).ToString(),
            ["terminalId"] = terminalId,
            ["occurredAt"] = Iso(occurredAt),
            ["customerId"] = customerId,
            ["name"] = name,
            ["email"] = $"{name.ToLowerInvariant()}@example.test",
            ["phone"] = null,
            ["loyaltyPoints"] = 10,
        });

    public static Guid Id(JsonObject message) => Guid.Parse(message["messageId"]!.GetValue<string>());

    public static JsonObject Data(JsonObject message) => message["data"]!.AsObject();
}
