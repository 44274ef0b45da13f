using System.Net;
using System.Text.Json.Nodes;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

/// <summary>
/// The reconciliation read (<c>GET ?action=reconcile&amp;terminalId=&amp;date=</c>): with the service key it answers the
/// origin lane's sales of that UTC day with their payments, money as text; without the key nothing; a bad day is 400.
/// </summary>
[Collection(CloudCollection.Name)]
public sealed class When_a_lane_reads_back_a_day(CloudFixture f)
{
    [Fact]
    public async Task Its_sales_of_the_day_come_back_with_their_payments()
    {
        var terminal = $"RC{Guid.NewGuid():N}"[..12];
        var sale = Sale(terminal);
        await f.SyncAsync(Batch(terminal, sale));
        await f.SyncAsync(Batch($"{terminal}X", Sale($"{terminal}X"))); // another lane's sale of the same day stays out
        var day = DateTimeOffset.Parse(Data(sale)["occurredAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        using var response = await GetAsync(terminal, day, f.Cloud.ServiceKey);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var one = Assert.Single(JsonNode.Parse(body)!["sales"]!.AsArray())!;
        Assert.Equal(Data(sale)["saleId"]!.GetValue<string>(), one["saleId"]!.GetValue<string>());
        Assert.Equal("597", one["totalMinor"]!.GetValue<string>());
        var payment = Assert.Single(one["payments"]!.AsArray())!;
        Assert.Equal(("cash", "1000"), (payment["tender"]!.GetValue<string>(), payment["amountMinor"]!.GetValue<string>()));

        using var otherDay = await GetAsync(terminal, "2001-01-01", f.Cloud.ServiceKey);
        Assert.Empty(JsonNode.Parse(await otherDay.Content.ReadAsStringAsync())!["sales"]!.AsArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("sb_secret_wrong")]
    public async Task Without_the_key_it_is_401(string key)
    {
        using var response = await GetAsync("L1", "2026-11-26", key);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("26-11-2026")]
    [InlineData("")]
    public async Task A_day_that_is_not_a_day_is_400(string day)
    {
        using var response = await GetAsync("L1", day, f.Cloud.ServiceKey);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    Task<HttpResponseMessage> GetAsync(string terminal, string day, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(f.Cloud.FunctionUrl + $"?action=reconcile&terminalId={Uri.EscapeDataString(terminal)}&date={Uri.EscapeDataString(day)}"));
        if (key.Length > 0)
        {
            request.Headers.Add("apikey", key);
        }

        return f.Http.SendAsync(request);
    }
}
