using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

[Collection(CloudCollection.Name)]
public sealed class When_a_batch_is_posted(CloudFixture f)
{
    [Fact]
    public async Task Every_message_lands_once_with_its_derived_rows()
    {
        var sale = Sale("L1");
        var move = Inventory("L1", $"SKU-{Guid.NewGuid():N}", -2);
        var customer = Customer("L1", $"cust-{Guid.NewGuid():N}", "Ann", DateTimeOffset.UtcNow);
        var ids = new[] { Id(sale), Id(move), Id(customer) };

        var results = await f.SyncAsync(Batch("L1", sale, move, customer));

        Assert.Equal(ids.Select(i => i.ToString()), results.Select(r => r.MessageId));
        Assert.All(results, r => Assert.Equal("inserted", r.Status));
        Assert.Equal(3, await f.CountAsync("pos_messages", ids));
        Assert.Equal(3, await f.CountAsync("sync_log", ids));
        Assert.Equal(1, await f.CountAsync("transactions", ids));
        Assert.Equal(1, await f.CountAsync("inventory_movements", ids));
        Assert.Equal(1, await f.CountAsync("customers", ids));

        var saleId = Guid.Parse(Data(sale)["saleId"]!.GetValue<string>());
        Assert.Equal(2L, await f.ScalarAsync<long>("select count(*) from transaction_lines where sale_id = $1", saleId));
        Assert.Equal(558L, await f.ScalarAsync<long>("select sum(line_total_minor)::bigint from transaction_lines where sale_id = $1", saleId));
        Assert.Equal(1000L, await f.ScalarAsync<long>("select amount_minor from transaction_payments where sale_id = $1", saleId));
        Assert.Equal(597L, await f.ScalarAsync<long>("select total_minor from transactions where sale_id = $1", saleId));
        Assert.Equal("L1|store-1|L1|transaction", await f.ScalarAsync<string>(
            "select terminal_id || '|' || store_id || '|' || uploaded_by || '|' || topic from pos_messages where message_id = $1", ids[0]));
        // The stored payload is the message's data as jsonb (not a JSON string inside jsonb).
        Assert.Equal("object", await f.ScalarAsync<string>("select jsonb_typeof(payload) from pos_messages where message_id = $1", ids[0]));
    }

    [Fact]
    public async Task A_peer_copy_is_stored_under_its_origin_lane()
    {
        var copy = Sale("L2");
        copy["originTerminalId"] = "L2";

        var results = await f.SyncAsync(Batch("L1", copy));

        Assert.Equal("inserted", Assert.Single(results).Status);
        Assert.Equal("L2|L1", await f.ScalarAsync<string>(
            "select terminal_id || '|' || uploaded_by from pos_messages where message_id = $1", Id(copy)));
        Assert.Equal("L2|L1", await f.ScalarAsync<string>(
            "select terminal_id || '|' || uploaded_by from sync_log where message_id = $1", Id(copy)));
    }

    [Fact]
    public async Task A_bearer_key_alone_is_accepted()
    {
        var sale = Sale("L1");
        using var request = new HttpRequestMessage(HttpMethod.Post, f.Cloud.FunctionUrl)
        {
            Content = new StringContent(Batch("L1", sale).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = CloudFixture.Bearer(f.Cloud.ServiceKey);

        using var response = await f.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await f.CountAsync("pos_messages", [Id(sale)]));
    }

    [Fact]
    public async Task An_empty_batch_is_answered_with_no_results()
    {
        var results = await f.SyncAsync(new JsonObject { ["terminalId"] = "L1", ["messages"] = new JsonArray() });
        Assert.Empty(results);
    }
}
