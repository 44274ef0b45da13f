using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PosBus.CloudSync;
using PosBus.CloudSync.Http;

namespace PosBus.Benchmarks;

/// <summary>
/// <c>stores</c>: a chain's rush hour on one cloud. S stores × L lanes post batches (50 messages, the lanes' default) at once, for a fixed time,
/// through the function, each store with its own store key, through the lanes' own HTTP client
/// (<see cref="SupabaseFunctionClient"/>; no SQLite ledger, so the bench measures the cloud, not 800 lane disks).
/// Raw baseline in the same run: Npgsql inserting the same kind of rows, 50 per statement, straight into pos_messages
/// over as many connections as the function's pool (POSBUS_DB_POOL_MAX, default 10). Then every store is verified: each
/// message it got acked is stored once, under its store, and no row of any table carries another store's id.
/// Options: <c>--stores 200</c>, <c>--lanes 4</c>, <c>--seconds 20</c>, <c>--pool 10</c> (raw connections), <c>--batch 50</c>.
/// </summary>
public static class StoresScenario
{
    static readonly string Run = Guid.NewGuid().ToString("N")[..6];

    public static async Task<int> RunAsync(string[] args)
    {
        var stores = Option(args, "--stores", 200);
        var lanes = Option(args, "--lanes", 4);
        var seconds = Option(args, "--seconds", 20);
        var pool = Option(args, "--pool", 10);
        var batch = Option(args, "--batch", 50); // 50 = CloudSync:BatchSize; a quiet lane's 30-s pass sends far fewer
        var (url, _, db) = CloudScenario.Cloud();
        Console.WriteLine($"stores scenario, run {Run}: {stores} stores x {lanes} lanes for {seconds} s against {url}, {Environment.ProcessorCount} cores, load {Load()}");

        var keys = await IssueKeysAsync(db, stores);
        using var services = new ServiceCollection().AddHttpClient(SupabaseFunctionClient.HttpClientName)
            .ConfigureHttpClient(h => h.Timeout = TimeSpan.FromMinutes(2)).Services.BuildServiceProvider();
        var client = new SupabaseFunctionClient(services.GetRequiredService<IHttpClientFactory>());
        var sent = new ConcurrentDictionary<Guid, string>();

        await UploadAsync(client, url, keys.Take(Math.Min(stores, 20)).ToList(), 1, batch, TimeSpan.FromSeconds(3), sent); // warm-up
        var raw = await RawAsync(db, pool, batch, TimeSpan.FromSeconds(seconds));
        Console.WriteLine($"raw Npgsql, {pool} connections, {batch}-row INSERT … ON CONFLICT DO NOTHING into pos_messages: {raw:N0} rows/s");
        var (ours, p99, batches) = await UploadAsync(client, url, keys, lanes, batch, TimeSpan.FromSeconds(seconds), sent);
        Console.WriteLine($"{stores * lanes} lanes through the function, own key per store: {ours:N0} msg/s, {batches:N0} batches of {batch} ({batches / (double)seconds:N0}/s), p99 batch {p99:N0} ms");

        var verdict = await StoresVerdict.CheckAsync(db, $"ch{Run}-", sent);
        Console.WriteLine(verdict.Describe());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT stores ratio={ours / raw:0.00} stores={stores} lanes={lanes} msgs_per_s={ours:0} p99_batch_ms={p99:0} cross_store_rows={verdict.CrossStoreRows}"));
        return verdict.Passed ? 0 : 1;
    }

    /// <summary>One key per store, issued the way store-key.sh issues them (only the SHA-256 reaches the cloud).</summary>
    static async Task<List<(string Store, string Key)>> IssueKeysAsync(string db, int stores)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        var keys = new List<(string, string)>();
        for (var s = 0; s < stores; s++)
        {
            var key = "pbsk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            await using var command = new NpgsqlCommand("select posbus_private.issue_store_key($1, $2, 'bench')", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = $"ch{Run}-{s}" });
            command.Parameters.Add(new NpgsqlParameter { Value = SHA256.HashData(Encoding.UTF8.GetBytes(key)) });
            await command.ExecuteScalarAsync();
            keys.Add(($"ch{Run}-{s}", key));
        }

        return keys;
    }

    /// <summary>Every lane posts batch after batch until the time is up; returns msg/s acked, p99 batch ms and batches.</summary>
    static async Task<(double Rate, double P99, int Batches)> UploadAsync(SupabaseFunctionClient client, string url,
        List<(string Store, string Key)> keys, int lanes, int batch, TimeSpan duration, ConcurrentDictionary<Guid, string> sent)
    {
        var latencies = new ConcurrentBag<double>();
        var acked = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(keys.SelectMany(k => Enumerable.Range(1, lanes).Select(lane => Task.Run(async () =>
        {
            var settings = new CloudSyncOptions { SupabaseUrl = url, StoreKey = k.Key, HttpTimeout = TimeSpan.FromMinutes(2) };
            var terminal = $"L{lane}"; // the same lane ids in every store, as in a real chain
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                var messages = Enumerable.Range(n * batch, batch).Select(i => ToCloud(CloudScenario.Message(terminal, i))).ToList();
                var started = Stopwatch.GetTimestamp();
                var results = await client.PostBatchAsync(new CloudBatch(terminal, k.Store, messages), settings, CancellationToken.None);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                foreach (var r in results.Where(r => r.Status is "inserted" or "duplicate"))
                {
                    sent[r.MessageId] = k.Store;
                }

                Interlocked.Add(ref acked, results.Count(r => r.Status == "inserted"));
                if (results.Count != batch || results.Any(r => r.Status == "invalid"))
                {
                    throw new InvalidOperationException($"{k.Store}/{terminal}: {results.Count} results, first invalid: {results.FirstOrDefault(r => r.Status == "invalid")?.Reason}");
                }
            }
        }))));
        var sorted = latencies.Order().ToArray();
        return (acked / clock.Elapsed.TotalSeconds, sorted[(int)Math.Ceiling(sorted.Length * 0.99) - 1], sorted.Length);
    }

    static CloudMessage ToCloud(PosBus.Ledger.LedgerRow row) => new()
    {
        MessageId = row.MessageId, OriginTerminalId = row.OriginTerminal, Topic = row.Topic, Data = row.Body, Timestamp = row.CreatedAt,
    };

    /// <summary>The same kind of rows straight into pos_messages, <paramref name="connections"/> writers at once; rows/s.</summary>
    static async Task<double> RawAsync(string db, int connections, int batch, TimeSpan duration)
    {
        var rows = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(db);
            await connection.OpenAsync();
            var terminal = $"R{w}";
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                var chunk = Enumerable.Range(n * batch, batch).Select(i => CloudScenario.Message(terminal, i)).ToList();
                Interlocked.Add(ref rows, await RawMessages.InsertAsync(connection, terminal, $"raw{Run}-{w}", chunk));
            }
        })));
        return rows / clock.Elapsed.TotalSeconds;
    }

    static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
