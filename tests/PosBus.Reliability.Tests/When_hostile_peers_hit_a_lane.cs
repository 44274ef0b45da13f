using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using PosBus.Reliability.Tests.Support;
using PosBus.TestSupport;
using Xunit.Abstractions;

namespace PosBus.Reliability.Tests;

/// <summary>
/// A lane process (L1) under a storm of generated hostile frames and connections (random bytes over TCP and WebSocket,
/// truncated, oversized and fuzzed JSON, wrong order, wrong secret, replayed hellos, insiders sending bad batches,
/// thousands of idle connections) while an honest lane (L2) keeps writing sales and pushing them to it. L1 must stay up,
/// refuse every hostile link with a close, write nothing of it, and keep taking L2's rows meanwhile.
/// </summary>
public sealed class When_hostile_peers_hit_a_lane(ITestOutputHelper output)
{
    const int MaxFrameBytes = 64 * 1024;
    const int FramesWanted = 10_000;
    const int IdleWebSockets = 1_500;
    const int IdleTcpConnections = 1_000;

    [Fact]
    public async Task It_survives_writes_nothing_of_them_and_the_honest_peer_keeps_syncing()
    {
        await using var store = TestStore.Plan(2);
        store.Environments[0]["PEER_TERMINALS"] = "";
        // A small frame limit, store-wide as in production: oversized frames are cheap to make, and L2's batches must split to fit.
        foreach (var environment in store.Environments)
        {
            environment["POSBUS__PeerSync__MaxFrameBytes"] = MaxFrameBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        store.Environments[0]["POSBUS__PeerSync__HelloTimeoutMs"] = "1000";
        store.Environments[1]["PEER_TERMINALS"] = $"ws://127.0.0.1:{store.Port(0)}";
        var target = await store.RunAsync(0);
        await store.RunAsync(1);
        var honestSales = new List<Guid>();
        var honestWriter = store.Simulate(1, events: 1_000_000, rate: 20, honestSales);
        var l1 = store.DatabasePath(0);
        var l2 = store.DatabasePath(1);
        Assert.True(await Eventually.TrueAsync(async () => await HeldFromL2Async(l1) > 0, TimeSpan.FromSeconds(60)), $"L2 never synced to L1 before the storm:\n{store.Logs(1)}");

        var heldBefore = await HeldFromL2Async(l1);
        var patterns = new HostilePatterns(store.Environments[0]["STORE_ID"], store.Environments[0]["STORE_SECRET"], MaxFrameBytes);
        var codes = new ConcurrentDictionary<int, int>();
        var unclosed = new ConcurrentDictionary<string, int>();
        var frames = 0;
        var url = new Uri(store.PeerUrl(0));
        var idle = HoldIdleConnectionsAsync(url, store.Port(0), codes);
        await Task.WhenAll(Enumerable.Range(0, 12).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (Volatile.Read(ref frames) < FramesWanted)
            {
                if (random.Next(10) == 0)
                {
                    await RandomBytesOverTcpAsync(store.Port(0), random);
                    Interlocked.Increment(ref frames);
                    continue;
                }

                var (name, run) = patterns.All[random.Next(patterns.All.Count)];
                await using var connection = await PeerRawClient.ConnectAsync(url);
                Interlocked.Add(ref frames, await run(connection, random, $"H{worker}", CancellationToken.None));
                var (code, _) = await connection.ClosedAsync(TimeSpan.FromSeconds(10));
                codes.AddOrUpdate(code, 1, (_, n) => n + 1);
                // Invalid UTF-8 in a text frame is refused by .NET's WebSocket itself: a 1007 close, or a dropped link when the abort wins the race.
                if (code == PeerRawClient.StillOpen || (code == PeerRawClient.Dropped && name != "random text"))
                {
                    unclosed.AddOrUpdate($"{name} ({code})", 1, (_, n) => n + 1);
                }
            }
        })));
        var replays = await ReplayRecordedHellosAsync(url, patterns, codes);
        await idle;
        var heldAfterStorm = await HeldFromL2Async(l1);

        output.WriteLine($"hostile frames and TCP patterns: {frames}, replayed hellos: {replays}, idle WebSockets: {IdleWebSockets}, idle TCP: {IdleTcpConnections}");
        output.WriteLine($"close codes: {HostilePatterns.Describe(codes)}; L2 rows held by L1: {heldBefore} before, {heldAfterStorm} after the storm");
        Assert.True(frames >= FramesWanted);
        Assert.False(target.HasExited, "L1 died under the storm");
        Assert.True(unclosed.IsEmpty, "hostile links left open (-1) or dropped without a close code (0): " +
            string.Join(", ", unclosed.Select(p => $"{p.Key}: {p.Value}")) + "\n" + string.Join('\n', store.Logs(0).Split('\n').Where(l => l.Contains("Exception", StringComparison.Ordinal) || l.Contains("   at PosBus", StringComparison.Ordinal)).Distinct().Take(12)));
        Assert.True(heldAfterStorm > heldBefore, "L2's rows did not reach L1 during the storm");
        Assert.Equal(0, await LaneDatabaseFile.ScalarAsync(l1, "SELECT COUNT(*) FROM replica WHERE origin_terminal <> 'L2'"));
        Assert.Equal(0, await LaneDatabaseFile.ScalarAsync(l1, "SELECT COUNT(*) FROM outbox"));

        await honestWriter.StopAsync(TimeSpan.FromSeconds(20));
        var written = await LaneDatabaseFile.ScalarAsync(l2, "SELECT COUNT(*) FROM outbox");
        Assert.True(await Eventually.TrueAsync(async () => await HeldFromL2Async(l1) == written, TimeSpan.FromSeconds(60)),
            $"L1 holds {await HeldFromL2Async(l1)} of L2's {written} rows");
        Assert.DoesNotMatch(@"\] (ERR|FTL)\]? ", store.Logs(0));
    }

    /// <summary>A hello recorded on one connection (as an eavesdropper would), sent again on a fresh one: refused with 4012.</summary>
    static async Task<int> ReplayRecordedHellosAsync(Uri url, HostilePatterns patterns, ConcurrentDictionary<int, int> codes)
    {
        const int count = 200;
        for (var i = 0; i < count; i++)
        {
            PeerSync.Protocol.PeerFrame recorded;
            await using (var original = await PeerRawClient.ConnectAsync(url))
            {
                recorded = patterns.Hello(original, $"R{i % 4}", patterns.Secret, original.ChallengeNonce);
            }

            await using var replay = await PeerRawClient.ConnectAsync(url);
            await replay.SendFrameAsync(recorded);
            var (code, _) = await replay.ClosedAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(PeerSync.Protocol.PeerCloseCodes.BadProof, code);
            codes.AddOrUpdate(code, 1, (_, n) => n + 1);
        }

        return count;
    }

    /// <summary>Thousands of connections that say nothing: WebSockets past the challenge (closed by the hello timeout) and bare TCP.</summary>
    static async Task HoldIdleConnectionsAsync(Uri url, int port, ConcurrentDictionary<int, int> codes)
    {
        var tcp = new List<TcpClient>();
        for (var i = 0; i < IdleTcpConnections; i++)
        {
            var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            tcp.Add(client);
        }

        var sockets = await Task.WhenAll(Enumerable.Range(0, IdleWebSockets).Select(async _ =>
        {
            var connection = await PeerRawClient.ConnectAsync(url);
            codes.AddOrUpdate((await connection.ClosedAsync(TimeSpan.FromSeconds(30))).Code, 1, (_, n) => n + 1);
            return connection;
        }));
        foreach (var connection in sockets)
        {
            await connection.DisposeAsync();
        }

        foreach (var client in tcp)
        {
            client.Dispose();
        }
    }

    static async Task RandomBytesOverTcpAsync(int port, Random random)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var bytes = new byte[random.Next(1, 4096)];
        random.NextBytes(bytes);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(bytes);
            client.Client.Shutdown(SocketShutdown.Send);
            var scratch = new byte[4096];
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await stream.ReadAsync(scratch, deadline.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // Kestrel answering 400 and resetting is the expected end.
        }
    }

    static Task<long> HeldFromL2Async(string database) =>
        LaneDatabaseFile.ScalarAsync(database, "SELECT COUNT(*) FROM replica WHERE origin_terminal = 'L2'");
}
