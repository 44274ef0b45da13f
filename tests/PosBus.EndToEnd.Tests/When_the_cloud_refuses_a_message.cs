using System.Text.Json.Nodes;
using PosBus.TestSupport;

namespace PosBus.EndToEnd.Tests;

/// <summary>
/// A message the function finds invalid (a sale whose total does not add up) becomes a dead letter with the
/// function's reason; the rest of the batch arrives; <c>dead-letters</c> lists it and puts it back in line.
/// </summary>
public sealed class When_the_cloud_refuses_a_message
{
    [Fact]
    public async Task It_is_dead_lettered_with_the_reason_listed_and_can_be_retried()
    {
        var cloud = await LocalCloud.EnsureUpAsync();
        using var lane = new LaneDirectory($"D{Guid.NewGuid():N}"[..12]);
        var environment = lane.Environment();
        environment["SUPABASE_URL"] = cloud.Url.ToString();
        environment["SUPABASE_SERVICE_KEY"] = cloud.ServiceKey;

        Assert.Equal(0, (await LaneRun.RunAsync(environment, "simulate", "--events", "3", "--seed", "5")).ExitCode);
        var badId = await LedgerQueries.InsertInvalidSaleCopyAsync(lane.DatabasePath);

        var sync = await LaneRun.RunAsync(environment, "sync-now", "--json");
        Assert.True(sync.ExitCode == 0, sync.StandardOutput + sync.StandardError);
        var result = JsonNode.Parse(sync.StandardOutput)!["result"]!;
        Assert.Equal("this process", JsonNode.Parse(sync.StandardOutput)!["ranBy"]!.GetValue<string>());
        Assert.Equal(1, result["invalid"]!.GetValue<int>());
        Assert.Equal(0, result["remaining"]!.GetValue<long>());

        var list = await LaneRun.RunAsync(environment, "dead-letters", "list", "--json");
        Assert.Equal(0, list.ExitCode);
        var letter = Assert.Single(JsonNode.Parse(list.StandardOutput)!.AsArray())!;
        Assert.Equal(badId, letter["messageId"]!.GetValue<string>());
        Assert.Contains("total", letter["lastError"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await CloudQueries.CountAsync(cloud.DbUrl, "select count(*) from pos_messages where message_id = @value", Guid.Parse(badId)));

        var retry = await LaneRun.RunAsync(environment, "dead-letters", "retry", badId);
        Assert.True(retry.ExitCode == 0, retry.StandardError);
        Assert.Equal(1, await LedgerQueries.ScalarAsync(lane.DatabasePath, $"SELECT COUNT(*) FROM outbox WHERE message_id = '{badId}' AND status = 'pending' AND last_error IS NULL"));
        Assert.Contains("no dead letters", (await LaneRun.RunAsync(environment, "dead-letters", "list")).StandardOutput, StringComparison.Ordinal);

        var again = await LaneRun.RunAsync(environment, "dead-letters", "retry", badId);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains(badId, again.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, (await LaneRun.RunAsync(environment, "dead-letters", "retry", "not-a-guid")).ExitCode);
    }

    /// <summary>Issue 15: the operator's way out for a message that will never be valid, recorded with the reason.</summary>
    [Fact]
    public async Task It_can_be_discarded_with_a_reason_that_is_recorded()
    {
        var cloud = await LocalCloud.EnsureUpAsync();
        using var lane = new LaneDirectory($"D{Guid.NewGuid():N}"[..12]);
        var environment = lane.Environment();
        environment["SUPABASE_URL"] = cloud.Url.ToString();
        environment["SUPABASE_SERVICE_KEY"] = cloud.ServiceKey;
        Assert.Equal(0, (await LaneRun.RunAsync(environment, "simulate", "--events", "2", "--seed", "6")).ExitCode);
        var badId = await LedgerQueries.InsertInvalidSaleCopyAsync(lane.DatabasePath);
        Assert.Equal(0, (await LaneRun.RunAsync(environment, "sync-now")).ExitCode);

        var withoutReason = await LaneRun.RunAsync(environment, "dead-letters", "discard", badId);
        Assert.Equal(2, withoutReason.ExitCode);
        Assert.Contains("--reason", withoutReason.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, await LedgerQueries.ScalarAsync(lane.DatabasePath, $"SELECT COUNT(*) FROM outbox WHERE message_id = '{badId}' AND status = 'dead_letter'"));

        var discard = await LaneRun.RunAsync(environment, "dead-letters", "discard", badId, "--reason", "test sale rung up during training", "--by", "store-manager");
        Assert.True(discard.ExitCode == 0, discard.StandardError);
        Assert.Contains("no dead letters", (await LaneRun.RunAsync(environment, "dead-letters", "list")).StandardOutput, StringComparison.Ordinal);
        var record = Assert.Single(JsonNode.Parse((await LaneRun.RunAsync(environment, "dead-letters", "discarded", "--json")).StandardOutput)!.AsArray())!;
        Assert.Equal(badId, record["messageId"]!.GetValue<string>());
        Assert.Equal(("test sale rung up during training", "store-manager"), (record["reason"]!.GetValue<string>(), record["discardedBy"]!.GetValue<string>()));
        Assert.Contains("total", record["lastError"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await LedgerQueries.ScalarAsync(lane.DatabasePath, $"SELECT COUNT(*) FROM outbox WHERE message_id = '{badId}'"));
        Assert.Equal(1, (await LaneRun.RunAsync(environment, "dead-letters", "discard", badId, "--reason", "again")).ExitCode);
    }
}
