using System.Net;
using System.Text.Json.Nodes;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

/// <summary>
/// A newer lane's message type (or a message without <c>[PosTopic]</c>, topic <c>other</c>) reaching this cloud: a
/// well-formed one is kept raw in <c>pos_messages</c> (and <c>sync_log</c>) with no derived row, instead of being
/// answered invalid and dead-lettered; the envelope is still checked as for every message.
/// </summary>
[Collection(CloudCollection.Name)]
public sealed class When_a_message_has_a_topic_the_cloud_does_not_know(CloudFixture f)
{
    static JsonObject Unknown(string topic, JsonObject? data = null) =>
        Envelope(topic, data ?? new JsonObject { ["messageId"] = Guid.NewGuid().ToString(), ["drawer"] = 2, ["lines"] = new JsonArray(1, "x") });

    [Theory]
    [InlineData("other")]
    [InlineData("gift-card.v2")]
    [InlineData("Loyalty:Redeemed_1")]
    public async Task It_is_stored_raw_once_and_nothing_is_derived(string topic)
    {
        var message = Unknown(topic);
        var sale = Sale("L1");

        var results = await f.SyncAsync(Batch("L1", message, sale));
        var again = await f.SyncAsync(Batch("L1", message));

        Assert.Equal(["inserted", "inserted"], results.Select(r => r.Status));
        Assert.Equal("duplicate", Assert.Single(again).Status);
        Assert.Equal(topic, await f.ScalarAsync<string>("select topic from pos_messages where message_id = $1", Id(message)));
        Assert.True(await f.ScalarAsync<bool>("""select payload - 'messageId' = '{"drawer": 2, "lines": [1, "x"]}'::jsonb from pos_messages where message_id = $1""", Id(message)));
        Assert.Equal(1, await f.CountAsync("sync_log", [Id(message)]));
        Assert.Equal(0, await f.CountAsync("transactions", [Id(message)]) + await f.CountAsync("inventory_movements", [Id(message)]));
        Assert.Equal(1, await f.CountAsync("transactions", [Id(sale)]));
    }

    [Fact]
    public async Task It_needs_none_of_the_pos_contract_s_fields()
    {
        // A lane-local command: its own fields only, no terminalId, no occurredAt, not even a messageId in data.
        var message = Unknown("other");
        message["data"] = new JsonObject { ["openedBy"] = "c-7" };

        var result = Assert.Single(await f.SyncAsync(Batch("L1", message)));

        Assert.Equal("inserted", result.Status);
    }

    [Theory]
    [InlineData("bad-topic", "has space")]
    [InlineData("bad-topic", "-leading-dash")]
    [InlineData("long-topic", "")]
    [InlineData("nul-in-data", "other")]
    [InlineData("data-not-object", "other")]
    [InlineData("bad-timestamp", "other")]
    [InlineData("bad-id", "other")]
    public async Task A_malformed_one_is_invalid_and_not_written(string flaw, string topic)
    {
        var message = Unknown(flaw == "long-topic" ? new string('t', 65) : topic);
        var id = Id(message);
        switch (flaw)
        {
            case "nul-in-data": Data(message)["note"] = "a\0b"; break;
            case "data-not-object": message["data"] = new JsonArray(1, 2); break;
            case "bad-timestamp": message["timestamp"] = "2026-02-30T10:00:00Z"; break;
            case "bad-id": message["messageId"] = "not-a-uuid"; break;
        }

        var result = Assert.Single(await f.SyncAsync(Batch("L1", message)));

        Assert.Equal("invalid", result.Status);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.Equal(0, await f.CountAsync("pos_messages", [id]));
    }

    [Fact]
    public async Task The_database_refuses_a_malformed_topic_on_its_own()
    {
        // The migration's constraint guards pos_messages even against a writer that skipped the function's validation.
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => f.ScalarAsync<object>(
            "insert into pos_messages (message_id, terminal_id, store_id, topic, payload, created_at, uploaded_by) values ($1, 'L1', 'store-1', 'has space', '{}', now(), 'L1')",
            Guid.NewGuid()));

        Assert.Equal(("23514", "pos_messages_topic_well_formed"), (error.SqlState, error.ConstraintName));
        Assert.Equal(HttpStatusCode.OK, (await f.PostAsync(Batch("L1", Unknown("other")))).StatusCode);
    }
}
