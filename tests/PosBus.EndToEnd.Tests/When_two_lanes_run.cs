using System.Text.Json.Nodes;
using PosBus.EndToEnd.Tests.ConsumerApp;
using PosBus.Terminal.Demo;
using PosBus.TestSupport;

namespace PosBus.EndToEnd.Tests;

/// <summary>
/// Two lane executables as peers on 127.0.0.1: a sale on one lane reaches <c>peer_ack</c>, the other lane holds the
/// copies, and the other lane's own consumers see them: a POS app's process beside the second lane (a host on
/// <c>AddPosBus</c> whose store-wide stock view counts the first lane's sales) is handed the copies.
/// </summary>
public sealed class When_two_lanes_run
{
    [Fact]
    public async Task Sales_of_one_lane_are_acked_copied_and_reach_the_other_lanes_consumers()
    {
        using var first = new LaneDirectory("L1");
        using var second = new LaneDirectory("L2");
        var firstEnvironment = first.Environment();
        var secondEnvironment = second.Environment();
        firstEnvironment["PEER_TERMINALS"] = $"ws://127.0.0.1:{second.Port}";
        secondEnvironment["PEER_TERMINALS"] = $"ws://127.0.0.1:{first.Port}";

        await using var firstLane = LaneProcess.Start(TerminalExecutable.DllPath, ["run"], firstEnvironment, Path.Combine(first.Path, "run.log"));
        await using var secondLane = LaneProcess.Start(TerminalExecutable.DllPath, ["run"], secondEnvironment, Path.Combine(second.Path, "run.log"));
        using var firstHttp = new LaneHttp(first.Port);
        using var secondHttp = new LaneHttp(second.Port);
        await firstHttp.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), () => "see " + first.Path);
        await secondHttp.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), () => "see " + second.Path);
        await using var secondApp = StockAppProcess.Start(second, secondEnvironment, "app");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(StockAppProcess.ReadLog(second, "app").Contains("owns local delivery", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60)), StockAppProcess.ReadLog(second, "app"));

        var simulate = await LaneRun.RunAsync(firstEnvironment, "simulate", "--events", "12", "--seed", "3");
        Assert.True(simulate.ExitCode == 0, simulate.StandardError);
        var messages = await LedgerQueries.ScalarAsync(first.DatabasePath, "SELECT COUNT(*) FROM outbox");
        var inventory = await LedgerQueries.ScalarAsync(first.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE topic = 'inventory'");

        JsonObject status = new();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            status = await firstHttp.StatusAsync();
            var copied = await LedgerQueries.ScalarAsync(second.DatabasePath, "SELECT COUNT(*) FROM replica WHERE origin_terminal = 'L1'");
            var seen = await LedgerQueries.ScalarAsync(second.DatabasePath, "SELECT COUNT(*) FROM store_stock_movements WHERE TerminalId = 'L1'");
            if (status["counts"]!["peer_ack"]!.GetValue<long>() == messages && copied == messages && seen == inventory)
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.Equal(messages, status["counts"]!["peer_ack"]!.GetValue<long>());
        Assert.Equal(0, status["counts"]!["pending"]!.GetValue<long>());
        var peer = Assert.Single(status["peers"]!.AsArray())!;
        Assert.Equal("L2", peer["id"]!.GetValue<string>());
        Assert.True(peer["connected"]!.GetValue<bool>());
        Assert.Equal(0, peer["lagMessages"]!.GetValue<long>());

        // Byte-for-byte copies keyed by (origin, sequence), and each handed once to the consumers on L2.
        Assert.Equal(0, await LedgerQueries.ScalarAsync(second.DatabasePath, $"""
            ATTACH DATABASE '{first.DatabasePath}' AS origin;
            SELECT COUNT(*) FROM origin.outbox o LEFT JOIN replica r ON r.origin_terminal = o.origin_terminal AND r.origin_sequence = o.sequence
            WHERE r.body IS NOT o.body OR r.message_id IS NOT o.message_id
            """));
        Assert.Equal(inventory, await LedgerQueries.ScalarAsync(second.DatabasePath, "SELECT COUNT(*) FROM store_stock_movements WHERE TerminalId = 'L1'"));
        var secondStatus = await secondHttp.StatusAsync();
        var held = Assert.Single(secondStatus["replicas"]!.AsArray())!;
        Assert.Equal(("L1", messages), (held["origin"]!.GetValue<string>(), held["count"]!.GetValue<long>()));

        await firstLane.StopAsync(TimeSpan.FromSeconds(20));
        await secondLane.StopAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((0, 0), (firstLane.ExitCode, secondLane.ExitCode));
    }
}
