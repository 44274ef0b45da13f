using System.Text.Json.Nodes;
using PosBus.TestSupport;

namespace PosBus.EndToEnd.Tests;

public sealed class When_a_lane_simulates_sales
{
    [Fact]
    public async Task Every_sale_and_its_messages_are_in_the_ledger_and_status_counts_them()
    {
        using var lane = new LaneDirectory();

        var simulate = await LaneRun.RunAsync(lane.Environment(), "simulate", "--events", "25", "--seed", "7");
        var status = await LaneRun.RunAsync(lane.Environment(), "status", "--json");

        Assert.Equal(0, simulate.ExitCode);
        Assert.Contains("Simulated 25 sales", simulate.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, status.ExitCode);
        var json = JsonNode.Parse(status.StandardOutput)!.AsObject();
        Assert.Equal("L1", (string?)json["terminalId"]);
        var counts = json["counts"]!.AsObject();
        var total = await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM outbox");
        Assert.Equal(total, (long)counts["pending"]! + (long)counts["peer_ack"]! + (long)counts["cloud_ack"]! + (long)counts["dead_letter"]!);
        Assert.Equal(25, await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE topic = 'transaction'"));
        // One inventory adjustment per sale line, saved with its sale; and the lane created no table beside the ledger's.
        Assert.Equal(
            await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT SUM(json_array_length(body, '$.lines')) FROM outbox WHERE topic = 'transaction'"),
            await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE topic = 'inventory'"));
        Assert.Equal(0, await LedgerQueries.ScalarAsync(lane.DatabasePath, SaleLedgerSql.SalesNotCommittedWhole));
        Assert.Equal(0, await LedgerQueries.ScalarAsync(lane.DatabasePath, """
            SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
              AND name NOT IN ('outbox', 'replica', 'peer_ack_mark', 'inbox', 'delivery_checkpoint', 'lane_state', 'consumer_dead_letter', 'dead_letter_discard')
            """));
        Assert.NotNull(json["oldestNotCloudAckedAgeSeconds"]);
    }

    [Fact]
    public async Task Status_of_a_fresh_lane_has_every_state_at_zero()
    {
        using var lane = new LaneDirectory("L7");

        var status = await LaneRun.RunAsync(lane.Environment(), "status", "--json");

        Assert.Equal(0, status.ExitCode);
        var json = JsonNode.Parse(status.StandardOutput)!.AsObject();
        Assert.Equal("L7", (string?)json["terminalId"]);
        foreach (var state in new[] { "pending", "peer_ack", "cloud_ack", "dead_letter" })
        {
            Assert.Equal(0, (long)json["counts"]![state]!);
        }

        Assert.Null(json["oldestNotCloudAckedAgeSeconds"]);
    }
}
