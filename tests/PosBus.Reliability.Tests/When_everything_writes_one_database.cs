using System.Diagnostics;
using System.Runtime;
using PosBus.Reliability.Tests.Support;
using PosBus.TestSupport;
using Xunit.Abstractions;
using LocalCloud = PosBus.TestSupport.LocalCloud;

namespace PosBus.Reliability.Tests;

/// <summary>
/// One lane database written by everything at once: POS code in this process (timed; a till on PosBus's public API whose
/// store-stock consumer takes local delivery), a second POS process, the lane process receiving a peer's batches, streaming its own outbox to that peer, uploading thousands of messages to the
/// cloud (each batch marks its rows) and deleting settled rows (retention), and the peer pushing. No "database is
/// locked" may reach POS code, and while a large upload runs a sale's commit stays under 50 ms at p99.
/// </summary>
public sealed class When_everything_writes_one_database(ITestOutputHelper output)
{
    const int BacklogSales = 3_000;
    const int UploadBacklogSales = 5_000;
    const int TimedSales = 400;

    /// <summary>
    /// The case, on running lanes: the store has sold for a while and its lanes are in step (peers hold every
    /// message, local consumers are done, the tills' code is compiled) but nothing went to the cloud yet, as after a cloud
    /// outage; then the upload of that backlog (about 30k messages) starts, retention deletes what it settled seconds
    /// before, and the tills go on selling. Timed: sales in this process while the upload runs, from start to end.
    /// Here (Release, 2 shared cores for both lanes, three tills and the local cloud): p99 18–27 ms, p50 4–5 ms.
    /// History: p99 101–154 ms with every message handed to local consumers one by one; 38.6–53.8 ms with batched
    /// delivery, the store-stock consumer's batches of 50 and a warm-up until this process stops compiling; then
    /// 12–25 ms (without retention) once the test host left the thread pool enough threads (tests/Directory.Build.props):
    /// the host blocks two threads for its whole run, the pool's whole minimum on two cores, so this process's timers
    /// and continuations, sales included, waited for the pool to add threads. Retention in batches of 2,000 rows (the
    /// old default) took it to 30–37 ms; batches of 100 (the default now) to 18–27 ms.
    /// </summary>
    [Fact]
    public async Task P99_sale_commit_stays_under_50_ms_during_a_large_upload()
    {
        var cloud = await LocalCloud.EnsureUpAsync();
        await using var store = TestStore.Plan(2, cloud);
        foreach (var environment in store.Environments)
        {
            // No scheduled pass meanwhile: the backlog builds up as during an outage, and the operator's sync-now starts
            // the upload. A pass may take a minute here, so that the upload still runs when the timed sales end.
            environment["POSBUS__CloudSync__Interval"] = "01:00:00";
            environment["POSBUS__CloudSync__PassTimeBudget"] = "00:01:00";
            // Retention deletes what the upload settled seconds ago, in its default batches, while the tills sell.
            environment["POSBUS__Retention__Interval"] = "00:00:02";
            environment["POSBUS__Retention__CloudAckedAge"] = "00:00:05";
            environment["POSBUS__Retention__InboxAge"] = "00:00:05";
        }

        await store.RunAsync(0);
        await store.RunAsync(1);
        var secondPos = store.Simulate(0, events: 1_000_000, rate: 20, new List<Guid>(), "second-pos.log");
        store.Simulate(1, events: 1_000_000, rate: 20, new List<Guid>(), "peer-writer.log");
        await using var pos = await InProcessPos.StartAsync("L1", store.DataDirectory(0), consumes: true);
        await SellBacklogAsync(store, UploadBacklogSales);
        var l1 = store.DatabasePath(0);
        var inStep = await Eventually.TrueAsync(
            async () => await LaneDatabaseFile.ScalarAsync(l1, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") < 100,
            TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(500));
        Assert.True(inStep, "the peer did not take the backlog:\n" + store.Logs(0));
        var catchingUp = Stopwatch.StartNew();
        // The till in this process holds lane 0's store-stock consumer, so it delivers there (the lane processes consume nothing).
        var caughtUp = await Eventually.TrueAsync(
            async () => await UndeliveredAsync(l1) < 1_500, TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(500));
        Assert.True(caughtUp, "lane 0's local consumers did not catch up with the backlog:\n" + store.Logs(0));

        var caughtUpAfter = catchingUp.Elapsed;
        Assert.Equal(0, await CloudAckedAsync(l1));
        var warmUp = await WarmUpAsync(pos);

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var upload = http.PostAsync(new Uri($"http://127.0.0.1:{store.Port(0)}/sync-now"), null);
        Assert.True(await Eventually.TrueAsync(async () => await CloudAckedAsync(l1) >= 100, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100)),
            "the upload did not start:\n" + store.Logs(0));
        // Counted among the rows that were there when the timed sales began: retention deletes settled rows meanwhile
        // (never waiting ones), and the tills add new ones.
        var lastBefore = await LaneDatabaseFile.ScalarAsync(l1, "SELECT MAX(sequence) FROM outbox");
        var before = await BacklogAsync(l1, lastBefore);
        var timed = await TimeSalesAsync(pos);
        var after = await BacklogAsync(l1, lastBefore);
        var waitingAtEnd = await LaneDatabaseFile.ScalarAsync(l1, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'peer_ack')");
        output.WriteLine($"ledger {before.Rows} messages; consumers caught up {caughtUpAfter.TotalSeconds:F0} s after the peer; warm-up {warmUp}; " +
                         $"during the timed sales {before.Waiting - after.Waiting} uploaded and {before.Rows - after.Rows} removed by retention, " +
                         $"{waitingAtEnd} still to upload when they ended; {timed}");

        Assert.Empty(timed.Errors);
        Assert.True(before.Waiting - after.Waiting >= 1_000, $"no large upload ran while sales were timed ({before.Waiting} → {after.Waiting} waiting)");
        Assert.True(before.Rows > after.Rows, "retention removed nothing while sales were timed:\n" + store.Logs(0));
        // The whole timed window is under the upload, not just its start: the backlog outlasts it.
        Assert.True(waitingAtEnd >= 1_000, $"the upload was over before the timed sales ended ({waitingAtEnd} messages left)");
        Assert.False(secondPos.HasExited, "the second POS process stopped:\n" + store.Log(0, "second-pos.log"));
        Assert.DoesNotContain("database is locked", store.Logs(0), StringComparison.OrdinalIgnoreCase);
        Assert.True(await LaneDatabaseFile.ScalarAsync(l1, "SELECT COUNT(*) FROM replica") > 0, "no peer batches were received");
        Assert.True(timed.P99 < 50, $"p99 sale commit {timed.P99:F1} ms during the upload (p50 {timed.P50:F1} ms)");
        using var answer = await upload;
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The harder case: a lane restarts with a 14k-message backlog that it replays to its local consumer, streams to its
    /// peer and uploads at once, while four processes that just started compile themselves on the same two cores.
    /// No lock error may reach POS code. Its latency is reported, not held to the goal: p99 120–190 ms here (Release,
    /// 2 shared cores; 140–490 ms before the test host had enough pool threads), spent waiting for the write lock behind
    /// transactions that JIT compilation and the peer lane's replay stretch (perf: libclrjit 19–33 % of the busy processes).
    /// </summary>
    [Fact]
    public async Task No_lock_error_reaches_POS_code_while_a_lane_restarts_with_a_backlog()
    {
        var cloud = await LocalCloud.EnsureUpAsync();
        await using var store = TestStore.Plan(2, cloud);
        // The backlog goes to the cloud at once instead of waiting two minutes for a peer's ack.
        store.Environments[0]["POSBUS__CloudSync__PendingUploadAfter"] = "00:00:00";
        await SellBacklogAsync(store);
        var l1 = store.DatabasePath(0);
        var backlogMessages = await LaneDatabaseFile.ScalarAsync(l1, "SELECT COUNT(*) FROM outbox");
        await using var pos = await InProcessPos.StartAsync("L1", store.DataDirectory(0), consumes: true);
        await store.RunAsync(1);
        store.Simulate(1, events: 1_000_000, rate: 20, new List<Guid>(), "peer-writer.log");
        var secondPos = store.Simulate(0, events: 1_000_000, rate: 20, new List<Guid>(), "second-pos.log");
        await store.RunAsync(0);
        var ackedAtStart = await CloudAckedAsync(l1);

        // The first sale of a process compiles EF Core's queries.
        await pos.SellAsync();
        var timed = await TimeSalesAsync(pos);
        var ackedAtEnd = await CloudAckedAsync(l1);
        output.WriteLine($"backlog {backlogMessages} messages; uploaded during the timed sales: {ackedAtEnd - ackedAtStart}; {timed}");

        Assert.Empty(timed.Errors);
        // POS writers go first, so while two tills sell 45 sales/s the upload slows right down and catches up when they
        // pause: that it kept moving is the point, not how far.
        Assert.True(ackedAtEnd - ackedAtStart >= 50, $"the large upload was not running while sales were timed ({ackedAtStart} → {ackedAtEnd} cloud_ack)");
        Assert.True(backlogMessages - ackedAtStart >= 1_000, $"the backlog was mostly uploaded before the timed sales began ({ackedAtStart} of {backlogMessages})");
        Assert.False(secondPos.HasExited, "the second POS process stopped:\n" + store.Log(0, "second-pos.log"));
        Assert.DoesNotContain("database is locked", store.Logs(0), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await LaneDatabaseFile.ScalarAsync(l1, "SELECT COUNT(*) FROM replica WHERE origin_terminal <> 'L2'"));
        Assert.True(await LaneDatabaseFile.ScalarAsync(l1, "SELECT COUNT(*) FROM replica") > 0, "no peer batches were received meanwhile");
    }

    /// <summary>Lane 0's tills ring up <paramref name="sales"/> sales as fast as they can (a `simulate` process).</summary>
    static async Task SellBacklogAsync(TestStore store, int sales = BacklogSales)
    {
        var backlog = store.Simulate(0, events: sales, rate: 0, new List<Guid>(), "backlog.log");
        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            await backlog.WaitForExitAsync(limit.Token);
        }

        Assert.True(backlog.ExitCode == 0, store.Log(0, "backlog.log"));
    }

    /// <summary>
    /// Sells at the timed pace until this process has stopped compiling, as a till does after it has sold for a while:
    /// .NET compiles methods quickly first and again optimised once they run often (tiered JIT). A fresh process's first
    /// 1,500 sales here compiled about 10,000 methods (7 s of JIT on two cores, half of it during the timed sales when
    /// only 50 came first): start-up, which the restart case below covers, not the steady state timed here.
    /// </summary>
    static async Task<string> WarmUpAsync(InProcessPos pos)
    {
        const int window = 50; // two seconds at the timed pace
        const int quiet = 50; // methods compiled per window once warm: a few dozen at most, mostly one-off paths
        var compiledAtStart = JitInfo.GetCompiledMethodCount();
        var sold = 0;
        for (var quietWindows = 0; quietWindows < 2 && sold < 2_000;)
        {
            var compiledBefore = JitInfo.GetCompiledMethodCount();
            for (var i = 0; i < window; i++, sold++)
            {
                await pos.SellAsync();
                await Task.Delay(40);
            }

            quietWindows = JitInfo.GetCompiledMethodCount() - compiledBefore < quiet ? quietWindows + 1 : 0;
        }

        return $"{sold} sales, {JitInfo.GetCompiledMethodCount() - compiledAtStart} methods compiled";
    }

    /// <summary>Rings up <see cref="TimedSales"/> sales at 25 per second (a busy store's lane, not a benchmark loop), timing each commit.</summary>
    static async Task<TimedRun> TimeSalesAsync(InProcessPos pos)
    {
        using var lockWaits = new LockWaitRecorder();
        var latencies = new List<double>(TimedSales);
        var errors = new List<string>();
        var pace = Stopwatch.StartNew();
        for (var i = 0; i < TimedSales; i++)
        {
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

        latencies.Sort();
        return new TimedRun(latencies, errors, lockWaits.Summary());
    }

    sealed record TimedRun(List<double> Latencies, List<string> Errors, string LockWaits)
    {
        public double P50 => LatencySummary.P50(Latencies);

        public double P99 => LatencySummary.P99(Latencies);

        public override string ToString() => $"sale commit {LatencySummary.Describe(Latencies)} sales; write-lock wait {LockWaits}";
    }

    /// <summary>
    /// Ledger rows (own and peer copies) past local delivery's saved checkpoints. Never 0 while tills sell: checkpoints are
    /// saved every 2 s (<c>Outbox:CheckpointInterval</c>), a few hundred rows here; a backlog is thousands.
    /// </summary>
    static Task<long> UndeliveredAsync(string database) => LaneDatabaseFile.ScalarAsync(database, """
        SELECT (SELECT COALESCE(MAX(sequence), 0) FROM outbox)
             - COALESCE((SELECT position FROM delivery_checkpoint WHERE stream = 'outbox'), 0)
             + (SELECT COALESCE(MAX(local_sequence), 0) FROM replica)
             - COALESCE((SELECT position FROM delivery_checkpoint WHERE stream = 'replica'), 0)
        """);

    /// <summary>Of the own rows up to <paramref name="last"/>: how many are left, and how many still wait for the cloud.</summary>
    static async Task<(long Rows, long Waiting)> BacklogAsync(string database, long last) => (
        await LaneDatabaseFile.ScalarAsync(database, $"SELECT COUNT(*) FROM outbox WHERE sequence <= {last}"),
        await LaneDatabaseFile.ScalarAsync(database, $"SELECT COUNT(*) FROM outbox WHERE sequence <= {last} AND status IN ('pending', 'peer_ack')"));

    static Task<long> CloudAckedAsync(string database) =>
        LaneDatabaseFile.ScalarAsync(database, "SELECT COUNT(*) FROM outbox WHERE status = 'cloud_ack'");
}
