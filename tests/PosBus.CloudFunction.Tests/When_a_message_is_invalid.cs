using System.Text;
using System.Text.Json.Nodes;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

/// <summary>
/// One bad message must not sink its batch (in Postgres one NUL or bad date would abort the whole
/// transaction): it is answered invalid with a reason and not written; its neighbours land.
/// </summary>
[Collection(CloudCollection.Name)]
public sealed class When_a_message_is_invalid(CloudFixture f)
{
    public static TheoryData<string> Cases => new()
    {
        "nul-in-name", "lone-surrogate", "bad-uuid", "unsafe-integer", "malformed-topic", "empty-topic", "subtotal-mismatch",
        "total-mismatch", "line-total-mismatch", "impossible-date", "negative-payment", "underpaid",
        "data-id-mismatch", "missing-field", "bad-currency", "bad-reason", "fractional-quantity",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Only_that_message_is_rejected_and_the_rest_land(string flaw)
    {
        var before = Sale("L1");
        var bad = flaw is "bad-reason" ? Inventory("L1", "SKU-1", -1) : Sale("L1");
        var after = Customer("L1", $"cust-{Guid.NewGuid():N}", "Cy", DateTimeOffset.UtcNow);
        var badId = Id(bad);
        var data = Data(bad);
        const string Lone = "LONE_SURROGATE";
        switch (flaw)
        {
            case "nul-in-name": data["cashierId"] = "cash\0ier"; break;
            case "lone-surrogate": data["receiptNumber"] = Lone; break;
            case "bad-uuid": data["saleId"] = "not-a-uuid"; break;
            case "unsafe-integer":
                data["subtotalMinor"] = 9_007_199_254_740_993L; data["totalMinor"] = 9_007_199_254_740_993L; break;
            case "malformed-topic": bad["topic"] = "pay roll; drop"; break;
            case "empty-topic": bad["topic"] = ""; break;
            case "subtotal-mismatch": data["subtotalMinor"] = 559; data["totalMinor"] = 598; break;
            case "total-mismatch": data["totalMinor"] = 600; break;
            case "line-total-mismatch": data["lines"]![0]!["lineTotalMinor"] = 250; break;
            case "impossible-date": data["occurredAt"] = "2026-02-30T10:00:00.0000000Z"; break;
            case "negative-payment":
                data["payments"] = new JsonArray(
                    new JsonObject { ["tender"] = "card", ["amountMinor"] = 700, ["reference"] = "A1" },
                    new JsonObject { ["tender"] = "cash", ["amountMinor"] = -103, ["reference"] = null });
                break;
            case "underpaid": data["payments"]![0]!["amountMinor"] = 500; break;
            case "data-id-mismatch": data["messageId"] = Guid.NewGuid().ToString(); break;
            case "missing-field": data.Remove("currency"); break;
            case "bad-currency": data["currency"] = "euro"; break;
            case "bad-reason": data["reason"] = "theft?"; break;
            case "fractional-quantity": data["lines"]![0]!["quantity"] = 1.5; break;
        }
        // A lone surrogate cannot be built as a valid .NET JSON string; write its escape by hand.
        var body = Batch("L1", before, bad, after).ToJsonString().Replace(Lone, "\\ud800", StringComparison.Ordinal);

        using var response = await f.PostRawAsync(new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var results = JsonNode.Parse(text)!["results"]!.AsArray();

        Assert.Equal(["inserted", "invalid", "inserted"], results.Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal(badId.ToString(), results[1]!["messageId"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(results[1]!["reason"]?.GetValue<string>()));
        Assert.Null(results[0]!["reason"]);
        Assert.Equal(0, await f.CountAsync("pos_messages", [badId]));
        Assert.Equal(2, await f.CountAsync("pos_messages", [Id(before), Id(after)]));
    }

    [Fact]
    public async Task A_message_that_is_not_an_object_is_invalid_and_the_rest_land()
    {
        var good = Sale("L1");
        var batch = Batch("L1", good);
        batch["messages"]!.AsArray().Insert(0, JsonValue.Create(42));

        var results = await f.SyncAsync(batch);

        Assert.Equal(["invalid", "inserted"], results.Select(r => r.Status));
    }

    [Fact]
    public async Task Seven_digit_fractions_and_offsets_are_accepted()
    {
        var sale = Sale("L1");
        sale["timestamp"] = "2026-03-01T10:11:12.1234567Z";
        Data(sale)["occurredAt"] = "2026-03-01T11:11:12.1234567+01:00";

        var results = await f.SyncAsync(Batch("L1", sale));

        Assert.Equal("inserted", Assert.Single(results).Status);
        Assert.Equal("2026-03-01 10:11:12.123457", await f.ScalarAsync<string>(
            "select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') from pos_messages where message_id = $1", Id(sale)));
    }
}
