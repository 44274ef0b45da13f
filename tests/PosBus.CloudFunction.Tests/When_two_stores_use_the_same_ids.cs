using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

/// <summary>
/// Lane ids, skus and customer ids repeat across the stores of a chain: stock, customers and reconcile stay per store.
/// Customers are kept per store (see infra/supabase/README.md): each store's POS makes up its ids and loyalty totals.
/// </summary>
[Collection(CloudCollection.Name)]
public sealed class When_two_stores_use_the_same_ids(CloudFixture f)
{
    [Fact]
    public async Task Stock_levels_customers_and_reconcile_stay_separate()
    {
        var (a, b) = (NewStoreId("sa"), NewStoreId("sb"));
        var (keyA, keyB) = (await f.Cloud.IssueStoreKeyAsync(a), await f.Cloud.IssueStoreKeyAsync(b));
        var sku = $"SKU-{Guid.NewGuid():N}"[..20];
        var at = DateTimeOffset.UtcNow;
        var (saleA, saleB) = (Sale("L1"), Sale("L1"));
        await PostAsync(keyA.Key, Inventory("L1", sku, -2), Customer("L1", "C-1", "Ann", at), saleA);
        await PostAsync(keyB.Key, Inventory("L1", sku, -5), Customer("L1", "C-1", "Bob", at.AddSeconds(-1)), saleB);

        Assert.Equal(-2L, await f.ScalarAsync<long>("select quantity from inventory_levels where store_id = $1 and sku = $2", a, sku));
        Assert.Equal(-5L, await f.ScalarAsync<long>("select quantity from inventory_levels where store_id = $1 and sku = $2", b, sku));
        Assert.Equal("Ann", await f.ScalarAsync<string>("select name from customers where store_id = $1 and customer_id = 'C-1'", a));
        Assert.Equal("Bob", await f.ScalarAsync<string>("select name from customers where store_id = $1 and customer_id = 'C-1'", b));

        var day = DateTimeOffset.Parse(Data(saleA)["occurredAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal([SaleId(saleA)], await ReconcileAsync(keyA.Key, day));
        Assert.Equal([SaleId(saleB)], await ReconcileAsync(keyB.Key, day));
    }

    async Task PostAsync(string key, params JsonObject[] messages)
    {
        using var response = await f.PostAsync(StoreBatch(null, "L1", messages), key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    async Task<List<string>> ReconcileAsync(string key, string day)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(f.Cloud.FunctionUrl + $"?action=reconcile&terminalId=L1&date={day}"));
        request.Headers.Add("apikey", key);
        using var response = await f.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["sales"]!.AsArray().Select(s => s!["saleId"]!.GetValue<string>()).ToList();
    }

    static string SaleId(JsonObject sale) => Data(sale)["saleId"]!.GetValue<string>();
}
