using System.Net;
using System.Text.Json.Nodes;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

/// <summary>
/// Per-store credentials: the function takes the store from the key (never from the body), refuses a batch for another
/// store (403), a revoked or unknown key (401) and a closed store (403), writing nothing; keys rotate without downtime.
/// </summary>
[Collection(CloudCollection.Name)]
public sealed class When_a_lane_uses_a_store_key(CloudFixture f)
{
    [Fact]
    public async Task Its_rows_carry_the_store_of_the_key_even_when_the_body_names_none()
    {
        var store = NewStoreId("key");
        var key = await f.Cloud.IssueStoreKeyAsync(store);
        Assert.StartsWith("pbsk_", key.Key, StringComparison.Ordinal);
        var unnamed = Sale("L1");
        var named = Inventory("L1", "SKU-K", -1);

        Assert.Equal("inserted", (await SyncAsync(StoreBatch(null, "L1", unnamed), key.Key)).Single());
        Assert.Equal("inserted", (await SyncAsync(StoreBatch(store, "L1", named), key.Key)).Single());

        foreach (var table in new[] { "pos_messages", "sync_log" })
        {
            Assert.Equal(store, await f.ScalarAsync<string>($"select string_agg(distinct store_id, ',') from {table} where message_id = any($1)", new[] { Id(unnamed), Id(named) }));
        }
    }

    [Fact]
    public async Task A_batch_claiming_another_store_is_403_and_nothing_is_written()
    {
        var key = await f.Cloud.IssueStoreKeyAsync(NewStoreId("mine"));
        var other = NewStoreId("other");
        await AssertRefusedAsync(HttpStatusCode.Forbidden, key.Key, other);
        Assert.Equal(0L, await f.ScalarAsync<long>("select count(*) from pos_messages where store_id = $1", other));
    }

    [Fact]
    public async Task A_revoked_or_unknown_key_is_401_and_nothing_is_written()
    {
        var key = await f.Cloud.IssueStoreKeyAsync(NewStoreId("gone"));
        await f.Cloud.RevokeStoreKeyAsync(key.KeyId);
        foreach (var wrong in new[] { key.Key, "pbsk_" + new string('0', 64), key.Key[..^1] })
        {
            await AssertRefusedAsync(HttpStatusCode.Unauthorized, wrong);
        }
    }

    [Fact]
    public async Task A_key_of_a_closed_store_is_403()
    {
        var store = NewStoreId("closed");
        var key = await f.Cloud.IssueStoreKeyAsync(store);
        await f.ScalarAsync<object>("update posbus_private.stores set active = false where store_id = $1", store);
        await AssertRefusedAsync(HttpStatusCode.Forbidden, key.Key);
    }

    [Fact]
    public async Task Two_keys_of_a_store_work_at_once_and_revoking_the_old_one_leaves_the_new()
    {
        var store = NewStoreId("rotate");
        var old = await f.Cloud.IssueStoreKeyAsync(store);
        var next = await f.Cloud.IssueStoreKeyAsync(store);

        Assert.Equal("inserted", (await SyncAsync(StoreBatch(null, "L1", Sale("L1")), old.Key)).Single());
        Assert.Equal("inserted", (await SyncAsync(StoreBatch(null, "L2", Sale("L2")), next.Key)).Single());
        await f.Cloud.RevokeStoreKeyAsync(old.KeyId);

        using var refused = await f.PostAsync(StoreBatch(null, "L1", Sale("L1")), old.Key);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("inserted", (await SyncAsync(StoreBatch(null, "L1", Sale("L1")), next.Key)).Single());
        Assert.Equal(3L, await f.ScalarAsync<long>("select count(*) from pos_messages where store_id = $1", store));
    }

    [Fact]
    public async Task The_cloud_holds_only_a_hash_of_the_key()
    {
        var store = NewStoreId("hash");
        var key = await f.Cloud.IssueStoreKeyAsync(store);

        var stored = await f.ScalarAsync<byte[]>("select key_hash from posbus_private.store_keys where key_id = $1", key.KeyId);

        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key.Key)), stored);
        var anyColumn = await f.ScalarAsync<long>("select count(*) from posbus_private.store_keys k where k::text like '%' || $1 || '%'", key.Key[5..]);
        Assert.Equal(0L, anyColumn);
    }

    [Fact]
    public async Task The_service_key_must_name_the_store_of_a_non_empty_batch()
    {
        var sale = Sale("L1");

        using var response = await f.PostAsync(StoreBatch(null, "L1", sale));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("storeId", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await f.CountAsync("pos_messages", [Id(sale)]));
    }

    /// <summary>Posts a sale with <paramref name="key"/>, naming <paramref name="store"/>; the answer must be <paramref name="status"/> and the sale nowhere.</summary>
    async Task AssertRefusedAsync(HttpStatusCode status, string key, string? store = null)
    {
        var sale = Sale("L1");
        using var response = await f.PostAsync(StoreBatch(store, "L1", sale), key);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(0, await f.CountAsync("pos_messages", [Id(sale)]));
    }

    async Task<IEnumerable<string>> SyncAsync(JsonObject batch, string key)
    {
        using var response = await f.PostAsync(batch, key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["results"]!.AsArray().Select(r => r!["status"]!.GetValue<string>());
    }
}
