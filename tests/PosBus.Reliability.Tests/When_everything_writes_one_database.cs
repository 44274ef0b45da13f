using System.Text.Json.Nodes;
using PosBus.Reliability.Tests.Support;
using PosBus.Testing;
using Xunit.Abstractions;
using LocalCloud = PosBus.Testing.LocalCloud;

namespace PosBus.Reliability.Tests;

/// <summary>
/// One lane database written by everything at once: POS code in this process (timed), a second POS process, the lane
/// process receiving a peer's batches and uploading a backlog of thousands of messages to the cloud (each batch marks
/// its rows, and delivers it to local consumers), and the peer pushing. No "database is locked" may reach POS code.
/// The latency goal (p99 sale commit under 50 ms during the upload) is not met yet. Release build, 2 shared
/// cores, p99 went from 1.3–2.4 s to 150–350 ms when the lane's writers gave way to POS writers (LaneBusyHandler),
/// committed their bookkeeping deferred and moved WAL checkpoints off the POS path, then from 435–1,050 ms (that day's
/// load) to 190–255 ms (p50 33–46 → 18–19 ms) when the lane process ran behind the tills on the CPU (Priority:SyncNice)
/// without tiered PGO. Taken apart: the two tills alone p99 16–30 ms; plus this lane replaying its backlog 30–55 ms;
/// plus the peer lane receiving it 104–116 ms; plus the peer's till 160–270 ms; plus the upload 190–255 ms. Moving the
/// peer lane's database to tmpfs or dropping the local consumers changed nothing: the rest is the second lane and its
/// till on the same two cores (another terminal's machine in a store). The assertion stays a skipped fact until then.
/// </summary>
public sealed class When_everything_writes_one_database(ITestOutputHelper output)
{
    const int BacklogSales = 3_000;
    const int TimedSales = 400;

    [Fact]
    public async Task No_lock_error_reaches_POS_code_during_a_large_upload() => await RunAsync(latencyGoal: false);

    [Fact(Skip = "Known gap (issue 6): p99 190–255 ms (Release, 2 shared cores, two lanes and their tills on them) while a 14k-message backlog uploads and is replayed locally; see the class comment")]
    public async Task P99_sale_commit_stays_under_50_ms_during_a_large_upload() => await RunAsync(latencyGoal: true);

    async Task RunAsync(bool latencyGoal)
    {
        var cloud = await LocalCloud.EnsureUpAsync();
        await using var store = TestStore.Plan(2, cloud);
        // The backlog goes to the cloud at once instead of waiting two minutes for a peer's ack.
        store.Environments[0]["POSBUS__CloudSync__PendingUploadAfter"] = "00:00:00";
        var backlog = store.Simulate(0, events: BacklogSales, rate: 0, new List<Guid>(), "backlog.log");
        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            await backlog.WaitForExitAsync(limit.Token);
        }

        Assert.True(backlog.ExitCode == 0, store.Log(0, "backlog.log"));
        var l1 = store.DatabasePath(0);
        var backlogMessages = await LaneDatabaseFile.ScalarAsync(l1, "SELECT COUNT(*) FROM outbox");
        await using var pos = await InProcessPos.StartAsync("L1", store.DataDirectory(0));
        await store.RunAsync(1);
        store.Simulate(1, events: 1_000_000, rate: 20, new List<Guid>(), "peer-writer.log");
        var secondPos = store.Simulate(0, events: 1_000_000, rate: 20, new List<Guid>(), "second-pos.log");
        await store.RunAsync(0);
        var ackedAtStart = await CloudAckedAsync(l1);

        // The first sale of a process compiles EF Core's queries: steady state is what is timed.
        await pos.SellAsync();
        using var lockWaits = new LockWaitRecorder();
        var latencies = new List<double>(TimedSales);
        var errors = new List<string>();
        var pace = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < TimedSales; i++)
        {
            // 25 sales/s: a busy store's lane, not a benchmark loop.
            if (TimeSpan.FromMilliseconds(i * 40) - pace.Elapsed is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait);
            }

            try
            {
                latencies.Add((await pos.SellAsync()).TotalMilliseconds);
            }
            catch (Exception e)
            {
                errors.Add(e.GetBaseException().Message);
            }
        }

        var ackedAtEnd = await CloudAckedAsync(l1);
        latencies.Sort();
        var p50 = latencies[latencies.Count / 2];
        var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
        output.WriteLine($"backlog {backlogMessages} messages; uploaded during the timed sales: {ackedAtEnd - ackedAtStart}; " +
            $"sale commit p50 {p50:F1} ms, p99 {p99:F1} ms, max {latencies[^1]:F1} ms over {latencies.Count} sales; " +
            $"write-lock wait {lockWaits.Summary()}");

        Assert.Empty(errors);
        // A large upload must be running: at least 1,000 backlog messages were still to go when timing began, and it kept
        // moving. How far it moved is not the point: POS writers go first, so while two tills sell 45 sales/s the upload
        // slows right down (150–15,800 messages in these 16 s, depending on the load) and catches up when they pause.
        Assert.True(ackedAtEnd - ackedAtStart >= 50, $"the large upload was not running while sales were timed ({ackedAtStart} → {ackedAtEnd} cloud_ack)");
        Assert.True(backlogMessages - ackedAtStart >= 1_000, $"the backlog was mostly uploaded before the timed sales began ({ackedAtStart} of {backlogMessages})");
        Assert.False(secondPos.HasExited, "the second POS process stopped:\n" + store.Log(0, "second-pos.log"));
        Assert.DoesNotContain("database is locked", store.Logs(0), StringComparison.OrdinalIgnoreCase);
        Assert.True(!latencyGoal || p99 < 50, $"p99 sale commit {p99:F1} ms during the upload (p50 {p50:F1} ms)");
        Assert.Equal(0, await LaneDatabaseFile.ScalarAsync(l1, "SELECT COUNT(*) FROM replica WHERE origin_terminal <> 'L2'"));
        Assert.True(await LaneDatabaseFile.ScalarAsync(l1, "SELECT COUNT(*) FROM replica") > 0, "no peer batches were received meanwhile");
    }

    static Task<long> CloudAckedAsync(string database) =>
        LaneDatabaseFile.ScalarAsync(database, "SELECT COUNT(*) FROM outbox WHERE status = 'cloud_ack'");
}
