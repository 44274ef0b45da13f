using System.Text.Json.Nodes;
using Npgsql;
using PosBus.Terminal.Demo;
using LocalCloud = PosBus.TestSupport.LocalCloud;

namespace PosBus.EndToEnd.Tests;

/// <summary>
/// <c>posbus trace</c> and <c>GET /messages/{id}</c> across a store of three lane processes and the local cloud: one
/// sale's journey shows its commit at the origin, a copy at each peer, the peer ack, the cloud's row and the cloud ack,
/// whether asked by message id or by receipt number, live or from the database.
/// </summary>
public sealed class When_a_sale_is_traced
{
    [Fact]
    public async Task The_journey_shows_every_lane_and_the_cloud_in_time_order()
    {
        var cloud = await LocalCloud.EnsureUpAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var lanes = Enumerable.Range(1, 3).Select(i => new LaneDirectory($"T{i}{suffix}")).ToList();
        var processes = new List<LaneProcess>();
        try
        {
            foreach (var lane in lanes)
            {
                var environment = Environment(lane, lanes, cloud);
                processes.Add(LaneProcess.Start(TerminalExecutable.DllPath, ["run"], environment, Path.Combine(lane.Path, "run.log")));
            }

            foreach (var lane in lanes)
            {
                using var http = new LaneHttp(lane.Port);
                await http.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), () => File.ReadAllText(Path.Combine(lane.Path, "run.log")));
            }

            var origin = lanes[0];
            var originEnvironment = Environment(origin, lanes, cloud);
            var simulate = await LaneRun.RunAsync(originEnvironment, "simulate", "--events", "3", "--seed", "5");
            Assert.True(simulate.ExitCode == 0, simulate.StandardError);
            var (messageId, receipt) = await WaitForSaleInCloudAsync(cloud.DbUrl, origin.TerminalId);
            // The cloud ack reaches the origin's ledger with the upload's answer; give the last pass a moment to record it.
            await WaitForAsync(async () => (await TraceAsync(originEnvironment, messageId.ToString()))["lane"]!["status"]!.GetValue<string>() == "cloud_ack");

            var journey = await TraceAsync(originEnvironment, messageId.ToString());

            Assert.Equal("own", journey["lane"]!["holds"]!.GetValue<string>());
            var peers = journey["peers"]!.AsArray().Select(p => p!["lane"]!).ToList();
            Assert.Equal(2, peers.Count);
            Assert.All(peers, p => Assert.Equal("replica", p["holds"]!.GetValue<string>()));
            Assert.True(journey["cloud"]!["found"]!.GetValue<bool>());
            Assert.Equal(origin.TerminalId, journey["cloud"]!["terminalId"]!.GetValue<string>());
            var events = journey["events"]!.AsArray().Select(e => (Lane: e!["lane"]!.GetValue<string>(), Event: e["event"]!.GetValue<string>(), At: e["at"]!.GetValue<string>())).ToList();
            Assert.Equal((origin.TerminalId, "committed"), (events[0].Lane, events[0].Event));
            Assert.Equal(2, events.Count(e => e.Event == "copied"));
            Assert.Contains(events, e => e.Event == "peer_ack" && e.Lane == origin.TerminalId);
            Assert.Contains(events, e => e.Event == "stored" && e.Lane == "cloud");
            Assert.Contains(events, e => e.Event == "cloud_ack" && e.Lane == origin.TerminalId);
            Assert.Equal(events.Select(e => e.At).Order(StringComparer.Ordinal), events.Select(e => e.At));
            var committedAt = events[0].At;
            Assert.All(events, e => Assert.True(string.CompareOrdinal(e.At, committedAt) >= 0));

            // By receipt number, from a peer lane, as a table.
            var byReceipt = await LaneRun.RunAsync(Environment(lanes[2], lanes, cloud), "trace", receipt);
            Assert.True(byReceipt.ExitCode == 0, byReceipt.StandardOutput + byReceipt.StandardError);
            Assert.Contains(messageId.ToString(), byReceipt.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("committed", byReceipt.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("stored at", byReceipt.StandardOutput, StringComparison.Ordinal);

            // With every lane stopped: the origin's own database, the peers unreachable, the cloud still answering.
            foreach (var process in processes)
            {
                await process.StopAsync(TimeSpan.FromSeconds(20));
            }

            var offline = await TraceAsync(originEnvironment, messageId.ToString());
            Assert.Equal("database", offline["source"]!.GetValue<string>());
            Assert.Equal("cloud_ack", offline["lane"]!["status"]!.GetValue<string>());
            Assert.All(offline["peers"]!.AsArray(), p => Assert.False(p!["reachable"]!.GetValue<bool>()));
            Assert.True(offline["cloud"]!["found"]!.GetValue<bool>());

            var unknown = await LaneRun.RunAsync(originEnvironment, "trace", Guid.NewGuid().ToString(), "--json");
            Assert.Equal(1, unknown.ExitCode);
            var badReceipt = await LaneRun.RunAsync(originEnvironment, "trace", "no-such-receipt");
            Assert.Equal(2, badReceipt.ExitCode);
            Assert.Contains("No sale with receipt number", badReceipt.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            lanes.ForEach(l => l.Dispose());
        }
    }

    static Dictionary<string, string> Environment(LaneDirectory lane, List<LaneDirectory> store, LocalCloud cloud)
    {
        var environment = lane.Environment();
        environment["PEER_TERMINALS"] = string.Join(',', store.Where(l => l != lane).Select(l => $"ws://127.0.0.1:{l.Port}"));
        environment["SUPABASE_URL"] = cloud.Url.ToString();
        environment["SUPABASE_SERVICE_KEY"] = cloud.ServiceKey;
        environment["POSBUS__CloudSync__Interval"] = "00:00:01";
        return environment;
    }

    static async Task<JsonObject> TraceAsync(Dictionary<string, string> environment, string key)
    {
        var trace = await LaneRun.RunAsync(environment, "trace", key, "--json");
        Assert.True(trace.ExitCode == 0, trace.StandardOutput + trace.StandardError);
        return JsonNode.Parse(trace.StandardOutput)!.AsObject();
    }

    static async Task<(Guid MessageId, string Receipt)> WaitForSaleInCloudAsync(string dbUrl, string terminalId)
    {
        (Guid, string)? sale = null;
        await WaitForAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(dbUrl);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "select message_id, payload->>'receiptNumber' from pos_messages where terminal_id = @t and topic = 'transaction' order by created_at limit 1", connection);
            command.Parameters.AddWithValue("t", terminalId);
            await using var reader = await command.ExecuteReaderAsync();
            sale = await reader.ReadAsync() ? (reader.GetGuid(0), reader.GetString(1)) : null;
            return sale is not null;
        });
        return sale!.Value;
    }

    static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the store to settle");
            await Task.Delay(250);
        }
    }
}
