using System.Text;
using PosBus.Reliability.Tests.Support;
using PosBus.Terminal.Demo;
using PosBus.TestSupport;
using LocalCloud = PosBus.TestSupport.LocalCloud;

namespace PosBus.Reliability.Tests;

/// <summary>
/// Whole lane processes with the cloud: a listener that does not know the store secret gets no row from a lane that
/// dials it, and neither the service key nor the store secret shows up in any log, status output (HTTP and CLI),
/// frame, or database file. (Peer refusals of a wrong secret or a replayed hello: When_hostile_peers_hit_a_lane and
/// the PeerSync suite; the anon role and RLS: the CloudFunction suite's When_anon_connects.)
/// </summary>
public sealed class When_secrets_are_at_stake
{
    [Fact]
    public async Task A_listener_without_the_secret_gets_nothing_and_keys_appear_nowhere()
    {
        var cloud = await LocalCloud.EnsureUpAsync();
        await using var rogue = await RogueListener.StartAsync("demo-store");
        await using var store = TestStore.Plan(2, cloud);
        var secret = store.Environments[0]["STORE_SECRET"];
        store.Environments[0]["PEER_TERMINALS"] += $",ws://127.0.0.1:{rogue.Port}";
        await store.RunAsync(0);
        await store.RunAsync(1);
        var committed = new List<Guid>();
        var writer = store.Simulate(0, events: 40, rate: 20, committed);
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            await writer.WaitForExitAsync(limit.Token);
        }

        var verifier = new CloudVerifier(cloud.DbUri);
        Assert.True(await Eventually.TrueAsync(async () => (await verifier.VerifyAsync(committed, CancellationToken.None)).ExactlyOnce == committed.Count
                && await LaneDatabaseFile.ScalarAsync(store.DatabasePath(1), "SELECT COUNT(*) FROM replica") > 0,
            TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1)), "the honest path (peer copy, cloud upload) did not work:\n" + store.Logs(0));

        Assert.NotEmpty(rogue.Frames);
        Assert.All(rogue.Frames, frame => Assert.DoesNotContain("\"batch\"", frame, StringComparison.Ordinal));
        Assert.Contains(rogue.CloseCodes, code => code == PeerSync.Protocol.PeerCloseCodes.BadProof);

        using var http = new HttpClient();
        var texts = new Dictionary<string, string>
        {
            ["frames received by the rogue listener"] = string.Join('\n', rogue.Frames),
            ["HTTP /status"] = await http.GetStringAsync(new Uri($"http://127.0.0.1:{store.Port(0)}/status")),
            ["status --json"] = (await RunAsync(store, "status", "--json")).Output,
            ["status --offline"] = (await RunAsync(store, "status", "--offline")).Output,
            ["sync-now --json"] = (await RunAsync(store, "sync-now", "--json")).Output,
            ["logs of both lanes"] = store.Logs(0) + store.Logs(1),
        };
        for (var lane = 0; lane < 2; lane++)
        {
            foreach (var file in Directory.EnumerateFiles(store.DataDirectory(lane), "posbus.db*"))
            {
                texts[$"database file {file}"] = Encoding.Latin1.GetString(await ReadSharedAsync(file));
            }
        }

        Assert.Contains("\"cloud\"", texts["HTTP /status"], StringComparison.Ordinal);
        foreach (var (where, text) in texts)
        {
            Assert.False(text.Contains(cloud.ServiceKey, StringComparison.Ordinal), $"the service key appears in {where}");
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"the store secret appears in {where}");
        }
    }

    static async Task<(int Code, string Output)> RunAsync(TestStore store, params string[] arguments)
    {
        var lines = new StringBuilder();
        var process = store.Start(0, $"{arguments[0]}.log", arguments, line =>
        {
            lock (lines)
            {
                lines.AppendLine(line);
            }
        });
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        await Task.Delay(100); // the last output lines arrive on another thread
        lock (lines)
        {
            return (process.ExitCode, lines.ToString() + store.Log(0, $"{arguments[0]}.log"));
        }
    }

    static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
