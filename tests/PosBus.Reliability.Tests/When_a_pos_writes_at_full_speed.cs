using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using PosBus.Ledger.Sqlite;
using PosBus.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace PosBus.Reliability.Tests;

/// <summary>
/// Issue 15, hole 7: <c>posbus simulate --events 1000000</c> alone grew <c>posbus.db-wal</c> to 724 MB in 20 s; the
/// PASSIVE checkpoint kept up but the WAL never started over. With a POS writing at full speed the WAL now stays under
/// four times <c>Database:WalCheckpointBytes</c>, whether or not <c>run</c> is beside it, and sales committed while a
/// RESTART checkpoint runs stay under 50 ms (p99; the figures, maximum included, are printed). <c>POSBUS_WAL_SOAK_SECONDS</c> sets how long each test writes (60 in CI; 600 for the 10 minutes).
/// </summary>
public sealed class When_a_pos_writes_at_full_speed(ITestOutputHelper output)
{
    const long WalCheckpointBytes = 16 * 1024 * 1024; // the default, as a lane runs

    static TimeSpan Soak => TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("POSBUS_WAL_SOAK_SECONDS"), CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 60);

    [Fact]
    public async Task The_wal_stays_bounded_with_simulate_alone_and_with_run_beside_it()
    {
        await using var store = TestStore.Plan(1);
        var committed = new List<Guid>();
        store.Simulate(0, events: 100_000_000, rate: 0, committed, "simulate.log");
        var wal = store.DatabasePath(0) + "-wal";

        var alone = await WatchWalAsync(wal, Soak / 2);
        var soldAlone = TestStore.Count(committed);
        await store.RunAsync(0);
        var beside = await WatchWalAsync(wal, Soak / 2);
        var sold = TestStore.Count(committed);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulate alone: {soldAlone} sales in {Soak.TotalSeconds / 2:F0} s, WAL max {alone / 1e6:F1} MB; with run beside: {sold - soldAlone} more sales, WAL max {beside / 1e6:F1} MB; limit {4 * WalCheckpointBytes / 1e6:F1} MB"));
        Assert.True(soldAlone > 1000, $"simulate sold only {soldAlone} sales:\n{store.Logs(0)}");
        Assert.True(alone < 4 * WalCheckpointBytes, $"WAL reached {alone} bytes with simulate alone");
        Assert.True(beside < 4 * WalCheckpointBytes, $"WAL reached {beside} bytes with run beside simulate");
    }

    [Fact]
    public async Task Sales_committed_while_the_wal_restarts_stay_under_50_ms()
    {
        var directory = Path.Combine(Path.GetTempPath(), "posbus-reliability", Guid.NewGuid().ToString("N"));
        var restarts = new List<(long End, TimeSpan Took)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SqliteWriteLock.MeterName && instrument.Name == WalCheckpoint.RestartInstrument)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (restarts)
            {
                restarts.Add((Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(seconds)));
            }
        });
        listener.Start();

        try
        {
            var sales = new List<(long Start, TimeSpan Took)>();
            long walMax;
            await using (var pos = await InProcessPos.StartAsync("L1", directory))
            {
                var wal = Path.Combine(directory, "posbus.db-wal");
                using var stop = new CancellationTokenSource(Soak);
                var watch = WatchWalAsync(wal, Soak);
                while (!stop.IsCancellationRequested)
                {
                    var start = Stopwatch.GetTimestamp();
                    sales.Add((start, await pos.SellAsync()));
                }

                walMax = await watch;
            }

            List<(long End, TimeSpan Took)> windows;
            lock (restarts)
            {
                windows = [.. restarts];
            }

            // A sale that overlaps a RESTART (the only checkpoint that holds the write lock) is the one a checkpoint can
            // hold up. On this shared 2-core machine any sale now and then takes over 50 ms (the scheduler, other builds),
            // during a RESTART or not: the test holds the sales during RESTARTs to 50 ms at p99, and reports the rest.
            var during = sales.Where(s => windows.Any(r => Overlaps(s, r))).Select(s => s.Took.TotalMilliseconds).Order().ToList();
            var others = sales.Where(s => !windows.Any(r => Overlaps(s, r))).Select(s => s.Took.TotalMilliseconds).Order().ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sales.Count} sales in {Soak.TotalSeconds:F0} s; during a RESTART: {Describe(during)}; otherwise: {Describe(others)}; " +
                $"{windows.Count} RESTARTs, longest call {(windows.Count == 0 ? 0 : windows.Max(r => r.Took.TotalMilliseconds)):F1} ms; WAL max {walMax / 1e6:F1} MB"));
            Assert.NotEmpty(windows); // the WAL did restart: a test where no checkpoint ran could not fail
            Assert.True(walMax < 4 * WalCheckpointBytes, $"WAL reached {walMax} bytes");
            Assert.NotEmpty(during);
            Assert.True(LatencySummary.P99(during) < 50, $"sales during a RESTART: {Describe(during)}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    static string Describe(List<double> sorted) =>
        sorted.Count == 0 ? "none" : $"{LatencySummary.Describe(sorted)}, {sorted.Count(ms => ms > 50)} over 50 ms";

    static bool Overlaps((long Start, TimeSpan Took) sale, (long End, TimeSpan Took) restart)
    {
        var saleEnd = sale.Start + (long)(sale.Took.TotalSeconds * Stopwatch.Frequency);
        var restartStart = restart.End - (long)(restart.Took.TotalSeconds * Stopwatch.Frequency);
        return sale.Start <= restart.End && restartStart <= saleEnd;
    }

    /// <summary>The largest size the WAL file had, sampled every 50 ms for <paramref name="duration"/>.</summary>
    static async Task<long> WatchWalAsync(string wal, TimeSpan duration)
    {
        var max = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var file = new FileInfo(wal);
            if (file.Exists)
            {
                max = Math.Max(max, file.Length);
            }

            await Task.Delay(50);
        }

        return max;
    }
}
