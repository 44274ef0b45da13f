using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PosBus.CloudSync;
using PosBus.CloudSync.Cli;
using PosBus.Contracts;
using PosBus.Ledger;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;

namespace PosBus.Benchmarks;

/// <summary>
/// <c>cloud</c>: messages/s from a lane ledger into Postgres through the Edge Function (our uploader, real SQLite ledger,
/// real HTTP, real Deno + Postgres; fixed batch sizes, then the defaults with the adaptive window) against raw Npgsql 50-row <c>INSERT … ON CONFLICT DO NOTHING</c> into the same
/// <c>pos_messages</c> table; the time to drain a 100,000-message backlog; and many lanes uploading at once.
/// Needs the local cloud (<c>infra/local-cloud/up.sh</c>), or SUPABASE_URL / SUPABASE_SERVICE_KEY / SUPABASE_DB_URL.
/// Options: <c>--messages N</c> (per throughput run, default 20000), <c>--drain N</c> (default 100000), <c>--lanes N</c> (default 50).
/// The drain prints the managed heap (peak during, live after), the upload window it ended at and the commit times of a
/// till on the same lane meanwhile; the RESULT line adds them as <c>drain_n</c>, <c>drain_s</c>, <c>heap_peak_mb</c>,
/// <c>heap_after_mb</c>, <c>till_p99_ms</c>.
/// </summary>
public static class CloudScenario
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    static readonly string Run = Guid.NewGuid().ToString("N")[..8];

    public static async Task<int> RunAsync(string[] args)
    {
        var messages = Option(args, "--messages", 20_000);
        var drain = Option(args, "--drain", 100_000);
        var lanes = Option(args, "--lanes", 50);
        var (url, key, db) = Cloud();
        Console.WriteLine($"cloud scenario, run {Run}: {url}, {Environment.ProcessorCount} cores");

        await RawAsync(db, 2_000); // warm-up of both paths (JIT, pools, Postgres caches)
        await OursAsync(url, key, 2_000, 50, 2, adaptive: true, "warm");

        Console.WriteLine("uploader, batch size x requests in flight (fixed, CloudSync:Adaptive false; then the defaults, adaptive):");
        var ours = 0.0;
        foreach (var (batch, inFlight, adaptive) in new[] { (50, 1, false), (50, 2, false), (50, 4, false), (200, 2, false), (500, 2, false), (1000, 4, false), (50, 2, true) })
        {
            var rate = await OursAsync(url, key, messages, batch, inFlight, adaptive, $"b{batch}x{inFlight}{(adaptive ? "a" : "")}");
            Console.WriteLine($"  batch={batch,4} in-flight={inFlight}{(adaptive ? " adaptive" : "         ")}: {rate,9:N0} msg/s{(adaptive ? "   <- default" : "")}");
            ours = adaptive ? rate : ours;
        }

        var raw = await RawAsync(db, messages);
        Console.WriteLine($"raw Npgsql, 50-row INSERT … ON CONFLICT DO NOTHING into pos_messages: {raw:N0} rows/s");

        var drained = await DrainAsync(url, key, drain);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"drain of {drain:N0} messages with defaults: {drained.Seconds:N1} s ({drain / drained.Seconds:N0} msg/s), window at the end {drained.BatchSize} x {drained.InFlight}; managed heap peak {drained.HeapPeakMb:N0} MB during, {drained.HeapMb:N0} MB live after; till on the same lane: {drained.TillSales} sales, commit p50 {drained.TillP50Ms:N1} ms, p99 {drained.TillP99Ms:N1} ms"));

        var (storeRate, storeSeconds) = await ManyLanesAsync(url, key, lanes, 1_000);
        Console.WriteLine($"{lanes} lanes uploading at once, 1,000 messages each: {storeRate:N0} msg/s in total ({storeSeconds:N1} s)");

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT cloud ratio={ours / raw:0.00} ours={ours:0} raw={raw:0} drain_100k_s={drained.Seconds * 100_000 / drain:0.0} drain_n={drain} drain_s={drained.Seconds:0.0} heap_peak_mb={drained.HeapPeakMb:0} heap_after_mb={drained.HeapMb:0} till_p99_ms={drained.TillP99Ms:0.0}"));
        return 0;
    }

    /// <summary>Drains a fresh ledger of <paramref name="count"/> peer-acked messages; msg/s.</summary>
    static async Task<double> OursAsync(string url, string key, int count, int batch, int inFlight, bool adaptive, string lane)
    {
        await using var ledger = await BenchLane.CreateAsync(url, key, $"B{Run}{lane}"[..Math.Min(32, 9 + lane.Length)], batch, inFlight, adaptive);
        await ledger.SeedAsync(count);
        var clock = Stopwatch.StartNew();
        await ledger.DrainAsync();
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Drains a fresh ledger of <paramref name="count"/> peer-acked messages with the defaults, sampling the managed heap
    /// and timing the sales a till commits on the same ledger meanwhile (pending rows, not due for upload, so the
    /// drain's end stays well defined).
    /// </summary>
    static async Task<DrainResult> DrainAsync(string url, string key, int count)
    {
        await using var lane = await BenchLane.CreateAsync(url, key, $"B{Run}drain", 50, 2, adaptive: true, tillBeside: true);
        await lane.SeedAsync(count);
        await lane.CheckpointAllAsync(); // a lane offline for a day has checkpointed its WAL long since
        GC.Collect();
        using var stop = new CancellationTokenSource();
        var heap = SampleHeapAsync(stop.Token);
        var till = lane.TillAsync(stop.Token);
        var checkpoints = lane.CheckpointEverySecondAsync(stop.Token);
        var clock = Stopwatch.StartNew();
        await lane.DrainAsync(untilOk: true);
        var seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        var peak = await heap;
        await checkpoints;
        var commits = (await till).Order().ToList();
        var window = lane.Window;
        return new DrainResult(seconds, GC.GetTotalMemory(forceFullCollection: true) / 1e6, peak / 1e6, window.BatchSize, window.InFlight,
            commits.Count, Percentile(commits, 0.50), Percentile(commits, 0.99));
    }

    sealed record DrainResult(double Seconds, double HeapMb, double HeapPeakMb, int BatchSize, int InFlight, int TillSales, double TillP50Ms, double TillP99Ms);

    /// <summary>The largest managed heap seen every 10 ms (allocated bytes, garbage not yet collected included).</summary>
    static async Task<long> SampleHeapAsync(CancellationToken stop)
    {
        var peak = 0L;
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
            await Task.Delay(10, CancellationToken.None);
        }

        return peak;
    }

    static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    static async Task<(double Rate, double Seconds)> ManyLanesAsync(string url, string key, int lanes, int each)
    {
        var all = new List<BenchLane>();
        for (var i = 0; i < lanes; i++)
        {
            var lane = await BenchLane.CreateAsync(url, key, $"B{Run}s{i}", 50, 2, adaptive: true, store: $"store-{Run}-{i}");
            await lane.SeedAsync(each);
            all.Add(lane);
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(all.Select(l => l.DrainAsync()));
        var seconds = clock.Elapsed.TotalSeconds;
        foreach (var lane in all)
        {
            await lane.DisposeAsync();
        }

        return (lanes * each / seconds, seconds);
    }

    /// <summary>The same rows as the uploader sends, straight into pos_messages, 50 per statement, one connection.</summary>
    static async Task<double> RawAsync(string db, int count)
    {
        var terminal = $"R{Run}";
        var rows = Enumerable.Range(0, count).Select(i => Message(terminal, i)).ToList();
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        foreach (var chunk in rows.Chunk(50))
        {
            await RawMessages.InsertAsync(connection, terminal, $"store-{Run}", chunk);
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A sale, a stock movement or a customer change (1:1:1), serialized as the outbox stores it.</summary>
    internal static LedgerRow Message(string terminal, int i)
    {
        var id = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        IPosMessage message = (i % 3) switch
        {
            0 => new SaleCompleted
            {
                MessageId = id, TerminalId = terminal, OccurredAt = at, SaleId = Guid.NewGuid(), ReceiptNumber = $"{terminal}-{i}",
                Currency = "EUR", CashierId = "c1",
                Lines = [new SaleLine { LineNo = 1, Sku = $"B-{Run}-{i % 97}", Description = "Item", Quantity = 2, UnitPriceMinor = 450, TaxMinor = 90, LineTotalMinor = 900 }],
                Payments = [new SalePayment { Tender = "card", AmountMinor = 990, Reference = "auth-1" }],
                SubtotalMinor = 900, TaxMinor = 90, TotalMinor = 990,
            },
            1 => new InventoryAdjusted { MessageId = id, TerminalId = terminal, OccurredAt = at, Sku = $"B-{Run}-{i % 97}", Delta = -2, Reason = InventoryReasons.Sale },
            _ => new CustomerUpserted { MessageId = id, TerminalId = terminal, OccurredAt = at, CustomerId = $"B-{Run}-{i % 501}", Name = "Customer", LoyaltyPoints = i },
        };
        return new LedgerRow
        {
            Sequence = 0, MessageId = id, OriginTerminal = terminal, MessageType = $"urn:message:PosBus.Contracts:{message.GetType().Name}",
            Topic = PosTopics.Of(message.GetType()), ContentType = "application/json", Body = JsonSerializer.Serialize(message, message.GetType(), Json), CreatedAt = at,
        };
    }

    static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>SUPABASE_URL / _SERVICE_KEY / _DB_URL from the environment, else from infra/local-cloud/.run/env.</summary>
    internal static (string Url, string Key, string Db) Cloud()
    {
        var values = new Dictionary<string, string>();
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var env = Path.Combine(dir.FullName, "infra", "local-cloud", ".run", "env");
            if (File.Exists(env))
            {
                foreach (var line in File.ReadAllLines(env).Where(l => l.Contains('=', StringComparison.Ordinal)))
                {
                    values[line[..line.IndexOf('=', StringComparison.Ordinal)]] = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..];
                }

                break;
            }
        }

        string Get(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v
            : values.GetValueOrDefault(name) ?? throw new InvalidOperationException($"{name} not set and no infra/local-cloud/.run/env: run infra/local-cloud/up.sh");
        var uri = new Uri(Get("SUPABASE_DB_URL"));
        var user = uri.UserInfo.Split(':', 2);
        var db = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host, Port = uri.Port, Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null, Database = uri.AbsolutePath.Trim('/'),
        }.ConnectionString;
        return (Get("SUPABASE_URL"), Get("SUPABASE_SERVICE_KEY"), db);
    }

    /// <summary>One simulated lane: its own SQLite ledger (synchronous=FULL) and the cloud stage wired as the host wires it.</summary>
    sealed class BenchLane : IAsyncDisposable
    {
        readonly string _directory;
        readonly ServiceProvider _provider;
        readonly string _terminal;

        BenchLane(string directory, ServiceProvider provider, string terminal)
        {
            _directory = directory;
            _provider = provider;
            _terminal = terminal;
        }

        /// <param name="tillBeside">A till commits on this lane while it uploads: its rows wait for peers (not due for upload).</param>
        public static async Task<BenchLane> CreateAsync(string url, string key, string terminal, int batch, int inFlight, bool adaptive, string? store = null, bool tillBeside = false)
        {
            var directory = Path.Combine(Path.GetTempPath(), "posbus-bench", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CloudSync:SupabaseUrl"] = url, ["CloudSync:ServiceKey"] = key,
                ["CloudSync:BatchSize"] = batch.ToString(CultureInfo.InvariantCulture),
                ["CloudSync:MaxInFlightBatches"] = inFlight.ToString(CultureInfo.InvariantCulture),
                ["CloudSync:Adaptive"] = adaptive ? "true" : "false",
                ["CloudSync:HasPeers"] = tillBeside ? "true" : null, ["CloudSync:PendingUploadAfter"] = tillBeside ? "01:00:00" : null,
                ["CloudSync:PassTimeBudget"] = "00:10:00", ["CloudSync:HttpTimeout"] = "00:01:00",
            }).Build();
            var services = new ServiceCollection();
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
            services.AddSingleton(Options.Create(new LaneDatabaseOptions { DataDirectory = directory }));
            services.AddSingleton<LaneDatabase>();
            services.AddSingleton(Options.Create(new LaneOptions { TerminalId = terminal, StoreId = store ?? $"store-{Run}" }));
            services.AddPosBusCloudSync(configuration);
            var lane = new BenchLane(directory, services.BuildServiceProvider(), terminal);
            await using var connection = await lane._provider.GetRequiredService<LaneDatabase>().OpenAsync();
            await LedgerSchema.EnsureCreatedAsync(connection);
            return lane;
        }

        public async Task SeedAsync(int count)
        {
            await using var connection = await _provider.GetRequiredService<LaneDatabase>().OpenAsync();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO outbox ({LedgerRowReader.PayloadColumns}, status, peer_acked_by, peer_acked_at) VALUES ({LedgerRowReader.PayloadParameters}, 'peer_ack', 'L9', $created_at)";
            for (var i = 0; i < count; i++)
            {
                command.Parameters.Clear();
                LedgerRowReader.BindPayload(command, Message(_terminal, i));
                await command.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        public CloudUploadWindow Window => _provider.GetRequiredService<CloudUploadWindow>();

        /// <param name="untilOk">Until a pass ends ok (nothing due is left; a till's rows may wait), rather than until nothing waits.</param>
        public async Task DrainAsync(bool untilOk = false)
        {
            var now = _provider.GetRequiredService<CloudSyncNow>();
            while (true)
            {
                var result = await now.RunAsync();
                if (result.Outcome is not (CloudSyncOutcome.Ok or CloudSyncOutcome.Partial) || result.Invalid > 0)
                {
                    throw new InvalidOperationException($"{_terminal}: {result.Outcome} {result.Error} (invalid {result.Invalid})");
                }

                if (result.Remaining == 0 || (untilOk && result.Outcome == CloudSyncOutcome.Ok))
                {
                    return;
                }
            }
        }

        /// <summary>Checkpoints the whole WAL and truncates it (between the seed and the timed drain).</summary>
        public async Task CheckpointAllAsync()
        {
            await using var connection = await _provider.GetRequiredService<LaneDatabase>().OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await command.ExecuteNonQueryAsync();
        }

        /// <summary>What a lane's host runs meanwhile (WalCheckpointService): the lane's WAL checkpoint, once a second.</summary>
        public async Task CheckpointEverySecondAsync(CancellationToken stop)
        {
            var checkpoint = new WalCheckpoint(_provider.GetRequiredService<LaneDatabase>());
            while (!stop.IsCancellationRequested)
            {
                await checkpoint.RunAsync(CancellationToken.None);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }

        /// <summary>A busy till: one sale committed durably every 20 ms until stopped; each commit's time in ms (open, lock wait, insert, commit).</summary>
        public async Task<List<double>> TillAsync(CancellationToken stop)
        {
            var database = _provider.GetRequiredService<LaneDatabase>();
            var times = new List<double>();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var clock = Stopwatch.StartNew();
                await using (var connection = await database.OpenAsync(CancellationToken.None))
                // As POS code commits: a foreground writer (not SqliteWriteLock's background role), so PosBus's own writers give way to it.
                await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None))
                await using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = $"INSERT INTO outbox ({LedgerRowReader.PayloadColumns}, status) VALUES ({LedgerRowReader.PayloadParameters}, 'pending')";
                    LedgerRowReader.BindPayload(command, Message(_terminal, 3 * i));
                    await command.ExecuteNonQueryAsync(CancellationToken.None);
                    await transaction.CommitAsync(CancellationToken.None);
                }

                times.Add(clock.Elapsed.TotalMilliseconds);
                await Task.Delay(20, CancellationToken.None);
            }

            return times;
        }

        public async ValueTask DisposeAsync()
        {
            await _provider.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
