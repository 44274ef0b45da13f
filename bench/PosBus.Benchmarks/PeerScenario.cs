using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using PosBus.PeerSync;
using PosBus.PeerSync.Hosting;
using PosBus.PeerSync.Protocol;

namespace PosBus.Benchmarks;

/// <summary>
/// <c>peer</c>: lane→lane messages/s with durable acks (two in-process lanes, real sockets, real SQLite files at
/// synchronous=FULL) against a raw pipeline in the same run: the same rows, the same JSON batch frames and window over
/// a plain WebSocket, inserted with raw Microsoft.Data.Sqlite one transaction per frame. Then commit → peer_ack latency
/// at a steady 100 rows/s. Options: <c>--rows N</c> per round (default 20000, 3 interleaved rounds), <c>--seconds S</c> of steady load (default 10).
/// </summary>
public static class PeerScenario
{
    const int BatchSize = 100;
    const int Window = 8;
    const int Rounds = 3;
    const string Secret = "bench-store-secret-0123456789";

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = IntArg(args, "--rows", 20_000);
        var seconds = IntArg(args, "--seconds", 10);
        var root = Path.Combine(Path.GetTempPath(), $"posbus-bench-peer-{Guid.NewGuid():N}");
        try
        {
            await using var l2 = await BenchLane.StartAsync("L2", Path.Combine(root, "l2"), peers: null);
            await using var origin = await BenchLane.StartAsync("L1", Path.Combine(root, "l1"), peers: l2.Url);

            await MeasureOursAsync(origin, 3000);
            var sample = await PeerSampleRows(origin.Database, 3000);
            await MeasureRawAsync(sample, Path.Combine(root, "raw-warmup"));
            // Interleaved rounds, median of each: a shared machine's disk and CPU drift hit both pipelines alike.
            var oursRuns = new List<double>();
            var rawRuns = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                oursRuns.Add(await MeasureOursAsync(origin, rows));
                rawRuns.Add(await MeasureRawAsync(await PeerSampleRows(origin.Database, rows), Path.Combine(root, $"raw-{round}")));
            }

            var ours = Median(oursRuns);
            var raw = Median(rawRuns);
            var (p50, p99) = await MeasureLatencyAsync(origin, seconds);

            Console.WriteLine($"peer: {rows} rows, batch {BatchSize}, window {Window}, synchronous=FULL");
            Console.WriteLine($"rounds ours: {string.Join(", ", oursRuns.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}; raw: {string.Join(", ", rawRuns.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}");
            Console.WriteLine($"ours: {ours:F0} msg/s (outbox read, frame, receiver commit, ack, peer_ack mark)");
            Console.WriteLine($"raw:  {raw:F0} msg/s (plain WebSocket, same frames and window, one INSERT transaction per frame)");
            Console.WriteLine($"commit -> peer_ack at 100 rows/s for {seconds} s: p50 {p50:F2} ms, p99 {p99:F2} ms");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT peer ratio={ours / raw:F2} ours={ours:F0} raw={raw:F0} p50_ms={p50:F2} p99_ms={p99:F2}"));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Commits <paramref name="count"/> rows on the origin at once, then times until every one is peer_ack.</summary>
    static async Task<double> MeasureOursAsync(BenchLane origin, int count)
    {
        var before = await CountAsync(origin.Database, "SELECT COUNT(*) FROM outbox WHERE status = 'peer_ack'");
        await InsertAsync(origin.Database, count, perTransaction: 1000);
        var clock = Stopwatch.StartNew();
        origin.Services.GetRequiredService<LedgerSignals>().OutboxCommitted.Pulse();
        while (await CountAsync(origin.Database, "SELECT COUNT(*) FROM outbox WHERE status = 'peer_ack'") < before + count)
        {
            await Task.Delay(2);
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>One row per transaction every 10 ms; latency is peer_acked_at − created_at (stamped just before the commit).</summary>
    static async Task<(double P50, double P99)> MeasureLatencyAsync(BenchLane origin, int seconds)
    {
        var from = await CountAsync(origin.Database, "SELECT COALESCE(MAX(sequence), 0) FROM outbox");
        var signals = origin.Services.GetRequiredService<LedgerSignals>();
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10)))
        {
            for (var i = 0; i < seconds * 100 && await timer.WaitForNextTickAsync(); i++)
            {
                await InsertAsync(origin.Database, 1, 1);
                signals.OutboxCommitted.Pulse();
            }
        }

        while (await CountAsync(origin.Database, $"SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND sequence > {from}") > 0)
        {
            await Task.Delay(5);
        }

        var latencies = new List<double>();
        await using var connection = await origin.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT created_at, peer_acked_at FROM outbox WHERE sequence > {from}";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            latencies.Add((LedgerTime.Parse(reader.GetString(1)) - LedgerTime.Parse(reader.GetString(0))).TotalMilliseconds);
        }

        latencies.Sort();
        return (Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    static double Median(List<double> runs) => runs.Order().ElementAt(runs.Count / 2);

    static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>The raw pipeline: pre-read rows, batched into the same frames, over a plain WebSocket to a receiver that inserts each frame in one transaction and acks.</summary>
    static async Task<double> MeasureRawAsync(IReadOnlyList<LedgerRow> rows, string directory)
    {
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "raw.db");
        await using (var setup = new SqliteConnection(LaneConnectionStrings.For(database)))
        {
            await setup.OpenAsync();
            await LedgerSchema.EnsureCreatedAsync(setup);
        }

        var port = UnusedLoopbackPort.Next();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = directory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        app.UseWebSockets();
        app.Map("/raw", context => RawReceiveAsync(context, database));
        await app.StartAsync();

        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/raw"), CancellationToken.None);
        using var window = new SemaphoreSlim(Window, Window);
        var batches = rows.Chunk(BatchSize).ToList();
        var clock = Stopwatch.StartNew();
        var acks = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            for (var acked = 0; acked < batches.Count; acked++)
            {
                await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                window.Release();
            }
        });
        var batchId = 0L;
        foreach (var batch in batches)
        {
            await window.WaitAsync();
            var frame = new PeerFrame { Type = PeerFrameTypes.Batch, BatchId = ++batchId, Rows = batch.ToList() };
            await client.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame, PeerJsonContext.Default.PeerFrame), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        await acks;
        var elapsed = clock.Elapsed;
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await app.StopAsync();
        return rows.Count / elapsed.TotalSeconds;
    }

    static async Task RawReceiveAsync(HttpContext context, string database)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await using var connection = new SqliteConnection(LaneConnectionStrings.For(database));
        await connection.OpenAsync();
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";
            await pragmas.ExecuteNonQueryAsync();
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO replica (origin_sequence, origin_terminal, message_id, message_type, topic, content_type, body, headers, " +
            "conversation_id, correlation_id, initiator_id, source_address, destination_address, created_at, received_at) " +
            "VALUES ($s, $o, $id, $mt, $t, $ct, $b, $h, $conv, $corr, $init, $src, $dst, $c, $r)";
        var names = new[] { "$s", "$o", "$id", "$mt", "$t", "$ct", "$b", "$h", "$conv", "$corr", "$init", "$src", "$dst", "$c", "$r" };
        var parameters = names.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
        var buffer = new byte[4 << 20];
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                count += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            var frame = JsonSerializer.Deserialize(buffer.AsSpan(0, count), PeerJsonContext.Default.PeerFrame)!;
            await using (var transaction = connection.BeginTransaction())
            {
                insert.Transaction = transaction;
                var received = LedgerTime.ToText(DateTimeOffset.UtcNow);
                foreach (var row in frame.Rows!)
                {
                    object?[] values =
                    [
                        row.Sequence, row.OriginTerminal, row.MessageId.ToString("D"), row.MessageType, row.Topic, row.ContentType, row.Body, row.Headers,
                        row.ConversationId?.ToString("D"), row.CorrelationId?.ToString("D"), row.InitiatorId?.ToString("D"), row.SourceAddress,
                        row.DestinationAddress, LedgerTime.ToText(row.CreatedAt), received,
                    ];
                    for (var i = 0; i < values.Length; i++)
                    {
                        parameters[i].Value = values[i] ?? DBNull.Value;
                    }

                    await insert.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
            }

            var ack = PeerFrame.Ack(frame.BatchId!.Value, frame.Rows[^1].Sequence);
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(ack, PeerJsonContext.Default.PeerFrame), WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }

    static async Task<IReadOnlyList<LedgerRow>> PeerSampleRows(LaneDatabase database, int count)
    {
        var ledger = new SyncLedger(database);
        var rows = new List<LedgerRow>(count);
        while (rows.Count < count)
        {
            rows.AddRange(await ledger.ReadAfterAsync(rows.Count == 0 ? 0 : rows[^1].Sequence, Math.Min(5000, count - rows.Count)));
        }

        return rows;
    }

    static async Task InsertAsync(LaneDatabase database, int count, int perTransaction)
    {
        await using var connection = await database.OpenAsync();
        for (var written = 0; written < count;)
        {
            await using var transaction = connection.BeginTransaction();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO outbox ({LedgerRowReader.PayloadColumns}) VALUES ({LedgerRowReader.PayloadParameters})";
            for (var i = 0; i < perTransaction && written < count; i++, written++)
            {
                var id = Guid.NewGuid();
                command.Parameters.Clear();
                LedgerRowReader.BindPayload(command, new LedgerRow
                {
                    Sequence = 0,
                    MessageId = id,
                    OriginTerminal = "L1",
                    MessageType = "urn:message:PosBus.Contracts:SaleCompleted",
                    Topic = "transaction",
                    ContentType = "application/json",
                    Body = $$"""{"saleId":"{{id}}","terminalId":"L1","lines":[{"sku":"4006381333931","quantity":2,"unitPriceMinor":249},{"sku":"5000112545326","quantity":1,"unitPriceMinor":1099}],"totalMinor":1597,"currency":"EUR"}""",
                    Headers = """{"MT-Host-MachineName":"lane-1","MT-Host-ProcessName":"PosBus.Terminal"}""",
                    ConversationId = Guid.NewGuid(),
                    SourceAddress = "loopback://localhost/L1",
                    CreatedAt = DateTimeOffset.UtcNow,
                });
                await command.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
    }

    static async Task<long> CountAsync(LaneDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    static int IntArg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    /// <summary>A lane hosted in this process: the real peer-sync registration on Kestrel and its own SQLite file.</summary>
    sealed class BenchLane : IAsyncDisposable
    {
        WebApplication? _app;

        public required string Url { get; init; }

        public required LaneDatabase Database { get; init; }

        public IServiceProvider Services => _app!.Services;

        public static async Task<BenchLane> StartAsync(string terminalId, string directory, string? peers)
        {
            Directory.CreateDirectory(directory);
            var port = UnusedLoopbackPort.Next();
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = directory });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Lane:TerminalId"] = terminalId,
                ["Database:DataDirectory"] = directory,
                ["PeerSync:Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["PeerSync:Peers"] = peers ?? "",
                ["PeerSync:StoreSecret"] = Secret,
                ["PeerSync:BatchSize"] = BatchSize.ToString(CultureInfo.InvariantCulture),
                ["PeerSync:MaxUnackedBatches"] = Window.ToString(CultureInfo.InvariantCulture),
            });
            builder.Logging.ClearProviders();
            builder.Services.AddPosBusPeerSync(builder.Configuration);
            var app = builder.Build();
            app.MapPosBusPeerSync();
            await app.StartAsync();
            return new BenchLane
            {
                _app = app,
                Url = $"ws://127.0.0.1:{port}/posbus/peer",
                Database = app.Services.GetRequiredService<LaneDatabase>(),
            };
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is { } app)
            {
                _app = null;
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }
}
