using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using PosBus.EndToEnd.Tests.ConsumerApp;
using PosBus.Ledger.Sqlite;
using PosBus.Terminal.Demo;
using PosBus.TestSupport;

namespace PosBus.EndToEnd.Tests;

/// <summary>
/// Issue 15 with real processes: an app's consumer throws for the adjustments of one SKU. They are retried, then become
/// local dead letters that <c>dead-letters list --consumer</c>, <c>status --json</c> and <c>/metrics</c> show, while every
/// other adjustment is applied; after the fix (the app restarted without the bug) <c>dead-letters retry --consumer</c>
/// has the app replay them, each applied exactly once.
/// </summary>
public sealed class When_a_consumer_app_fails_on_a_message
{
    const string Consumer = "PosBus.EndToEnd.Tests.ConsumerApp.StockConsumer";

    [Fact]
    public async Task The_other_messages_go_on_and_a_retry_after_the_fix_applies_the_dead_letters_once()
    {
        using var lane = new LaneDirectory("L1");
        var environment = lane.Environment();
        environment["POSBUS__Outbox__DeliveryLeaseTime"] = "00:00:03";
        environment["POSBUS__Outbox__ConsumerRetryLimit"] = "1";
        environment["POSBUS__Outbox__ConsumerRetryInterval"] = "00:00:00.010";
        await using var run = LaneProcess.Start(TerminalExecutable.DllPath, ["run"], environment, Path.Combine(lane.Path, "run.log"));
        using var http = new LaneHttp(lane.Port);
        await http.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), () => File.ReadAllText(Path.Combine(lane.Path, "run.log")));
        Assert.Equal(0, (await LaneRun.RunAsync(environment, "simulate", "--events", "20", "--seed", "31")).ExitCode);
        var total = await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE topic = 'inventory'");
        var sku = await FirstSkuAsync(lane);
        var failing = await LedgerQueries.ScalarAsync(lane.DatabasePath, $"SELECT COUNT(*) FROM outbox WHERE topic = 'inventory' AND json_extract(body, '$.sku') = '{sku}'");
        Assert.True(failing < total, "every adjustment has the failing SKU; the test proves nothing");

        var buggy = new Dictionary<string, string>(environment) { [StockConsumer.FailingSkuVariable] = sku };
        await using (var app = StockAppProcess.Start(lane, buggy, "buggy"))
        {
            await OwnsDeliveryAsync(lane, "buggy");
            Assert.True(await Eventually.TrueAsync(
                async () => await Applied(lane) == total - failing && await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM consumer_dead_letter") == failing,
                TimeSpan.FromSeconds(60)), StockAppProcess.ReadLog(lane, "buggy"));

            var list = await LaneRun.RunAsync(environment, "dead-letters", "list", "--consumer", "StockConsumer", "--json");
            Assert.Equal(0, list.ExitCode);
            var letters = JsonNode.Parse(list.StandardOutput)!.AsArray();
            Assert.Equal(failing, letters.Count);
            Assert.All(letters, l =>
            {
                Assert.Equal(Consumer, l!["consumer"]!.GetValue<string>());
                Assert.Equal("System.InvalidOperationException", l["exceptionType"]!.GetValue<string>());
                Assert.Equal($"no stock record for {sku}", l["exceptionMessage"]!.GetValue<string>());
                Assert.Equal(2, l["attempts"]!.GetValue<int>());
            });
            var status = JsonNode.Parse((await LaneRun.RunAsync(environment, "status", "--json")).StandardOutput)!;
            Assert.Equal(failing, status["localDeadLetters"]!["count"]!.GetValue<long>());
            Assert.Equal(failing, status["localDeadLetters"]!["consumers"]![Consumer]!.GetValue<long>());
            var metrics = (await http.GetAsync("metrics")).Body;
            Assert.Contains($"posbus_local_dead_letters{{consumer=\"{Consumer}\"}} {failing}", metrics, StringComparison.Ordinal);
            // Without --consumer the verb still lists the cloud's dead letters only, as before.
            Assert.Equal("no dead letters", (await LaneRun.RunAsync(environment, "dead-letters", "list")).StandardOutput.Trim());
            await app.KillAsync();
        }

        // The fix is deployed: the app runs again without the bug, then the operator asks for the replay.
        await using var fixedApp = StockAppProcess.Start(lane, environment, "fixed");
        await OwnsDeliveryAsync(lane, "fixed");
        var retry = await LaneRun.RunAsync(environment, "dead-letters", "retry", "--consumer", "StockConsumer", "--all");
        Assert.Equal(0, retry.ExitCode);
        Assert.Contains($"{failing} local dead letter(s)", retry.StandardOutput, StringComparison.Ordinal);
        Assert.True(await Eventually.TrueAsync(
            async () => await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM consumer_dead_letter") == 0,
            TimeSpan.FromSeconds(60)), StockAppProcess.ReadLog(lane, "fixed"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(total, await Applied(lane));
        Assert.Equal(total, await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM store_stock_movements"));
        Assert.Equal(1, (await LaneRun.RunAsync(environment, "dead-letters", "retry", "--consumer", "StockConsumer", Guid.NewGuid().ToString())).ExitCode);
    }

    static async Task OwnsDeliveryAsync(LaneDirectory lane, string app) =>
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(StockAppProcess.ReadLog(lane, app).Contains("owns local delivery", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60)), StockAppProcess.ReadLog(lane, app));

    static Task<long> Applied(LaneDirectory lane) => LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(DISTINCT MessageId) FROM store_stock_movements");

    static async Task<string> FirstSkuAsync(LaneDirectory lane)
    {
        await using var connection = new SqliteConnection(LaneConnectionStrings.For(lane.DatabasePath));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json_extract(body, '$.sku') FROM outbox WHERE topic = 'inventory' ORDER BY sequence LIMIT 1";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
