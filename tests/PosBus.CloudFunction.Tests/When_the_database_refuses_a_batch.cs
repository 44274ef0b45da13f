using System.Net;
using System.Text.Json.Nodes;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

/// <summary>
/// A message that passes the function's validation but that Postgres refuses (here a CHECK constraint the function does
/// not know, for that one message id only, so other tests sharing the database are unaffected): the statement fails as
/// a whole, nothing of the batch is written, and the answer is a 500 naming the SQLSTATE so a lane can isolate it.
/// </summary>
[Collection(CloudCollection.Name)]
public sealed class When_the_database_refuses_a_batch(CloudFixture f) : IAsyncLifetime
{
    readonly string _constraint = $"posbus_test_refuse_{Guid.NewGuid():N}";
    readonly JsonObject _poison = Sale("L1");

    public Task InitializeAsync() => f.ScalarAsync<object>(
        $"alter table public.pos_messages add constraint {_constraint} check (message_id <> '{Id(_poison)}') not valid");

    [Fact]
    public async Task It_is_a_500_with_the_sqlstate_and_the_reason_and_nothing_is_written()
    {
        var neighbour = Sale("L1");

        using var response = await f.PostAsync(Batch("L1", neighbour, _poison));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("23514", body["sqlstate"]!.GetValue<string>());
        Assert.Contains(_constraint, body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await f.CountAsync("pos_messages", [Id(neighbour), Id(_poison)]));
        Assert.Equal("inserted", Assert.Single(await f.SyncAsync(Batch("L1", neighbour))).Status);
    }

    public Task DisposeAsync() => f.ScalarAsync<object>($"alter table public.pos_messages drop constraint if exists {_constraint}");
}
