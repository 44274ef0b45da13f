using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using PosBus.Outbox.Configuration;
using PosBus.Operations.Retention;
using PosBus.TestSupport;

namespace PosBus.EndToEnd.Tests.Operations;

/// <summary>
/// Retention on a real SQLite file: of a ledger holding every state at every age, exactly the <c>cloud_ack</c> rows
/// (and copies the cloud holds) acked longer ago than the age go, plus old inbox entries; never a pending, peer_ack,
/// dead_letter or held row, never a row the local consumers have not had, never a stream's newest row. Then the same in
/// a running lane, whose scheduled job reports what it removed in status.
/// </summary>
public sealed class When_retention_runs
{
    [Fact]
    public async Task Only_cloud_acked_rows_past_the_age_are_removed()
    {
        using var file = new TempDatabase();
        var database = Ledger(file);
        var now = DateTimeOffset.UtcNow;
        var old = LedgerTime.ToText(now.AddDays(-8));
        var young = LedgerTime.ToText(now.AddDays(-6));
        var ancient = LedgerTime.ToText(now.AddDays(-30));
        await SeedAsync(database, $"""
            INSERT INTO outbox (sequence, message_id, origin_terminal, message_type, topic, content_type, body, created_at, status, cloud_acked_at) VALUES
              (1, 'o1', 'L1', 't', 'transaction', 'application/json', '{"{}"}', '{ancient}', 'cloud_ack', '{old}'),
              (2, 'o2', 'L1', 't', 'transaction', 'application/json', '{"{}"}', '{ancient}', 'cloud_ack', '{young}'),
              (3, 'o3', 'L1', 't', 'transaction', 'application/json', '{"{}"}', '{ancient}', 'pending', NULL),
              (4, 'o4', 'L1', 't', 'transaction', 'application/json', '{"{}"}', '{ancient}', 'peer_ack', NULL),
              (5, 'o5', 'L1', 't', 'transaction', 'application/json', '{"{}"}', '{ancient}', 'dead_letter', NULL),
              (6, 'o6', 'L1', 't', 'inventory', 'application/json', '{"{}"}', '{ancient}', 'cloud_ack', '{old}'),
              (7, 'o7', 'L1', 't', 'inventory', 'application/json', '{"{}"}', '{ancient}', 'cloud_ack', '{old}'),
              (8, 'o8', 'L1', 't', 'inventory', 'application/json', '{"{}"}', '{ancient}', 'cloud_ack', '{old}');
            INSERT INTO replica (local_sequence, origin_terminal, origin_sequence, message_id, message_type, topic, content_type, body, created_at, received_at, cloud_status, cloud_acked_at) VALUES
              (1, 'L2', 1, 'r1', 't', 'transaction', 'application/json', '{"{}"}', '{ancient}', '{ancient}', 'cloud_ack', '{old}'),
              (2, 'L2', 2, 'r2', 't', 'transaction', 'application/json', '{"{}"}', '{ancient}', '{ancient}', 'held', NULL),
              (3, 'L2', 3, 'r3', 't', 'transaction', 'application/json', '{"{}"}', '{ancient}', '{ancient}', 'dead_letter', NULL),
              (4, 'L2', 4, 'r4', 't', 'transaction', 'application/json', '{"{}"}', '{ancient}', '{ancient}', 'cloud_ack', '{young}'),
              (5, 'L2', 5, 'r5', 't', 'transaction', 'application/json', '{"{}"}', '{ancient}', '{ancient}', 'cloud_ack', '{old}'),
              (6, 'L3', 1, 'r6', 't', 'transaction', 'application/json', '{"{}"}', '{ancient}', '{ancient}', 'cloud_ack', '{old}'),
              (7, 'L3', 2, 'r7', 't', 'transaction', 'application/json', '{"{}"}', '{ancient}', '{ancient}', 'cloud_ack', '{old}');
            INSERT INTO inbox (message_id, consumer, consumed_at) VALUES ('i1', 'c', '{old}'), ('i2', 'c', '{young}');
            INSERT INTO delivery_checkpoint (stream, position) VALUES ('outbox', 6), ('replica', 6);
            """);

        // A process with consumers delivers on this file (it holds the delivery lease), so rows wait for its checkpoints.
        var lease = new DeliveryLeaseStore(database);
        await lease.TryTakeAsync(new DeliveryLeaseHolder("consumer-process", "test", now.AddMinutes(1)), now);
        var pass = new RetentionPass(database, new SyncLedger(database), lease, Monitor(new RetentionOptions { BatchSize = 1 }), Options.Create(new PosBusOutboxOptions()), TimeProvider.System);
        var result = await pass.RunAsync(CancellationToken.None);

        // o1, o6: cloud_ack, acked 8 days ago, delivered. o7 and o8 were not yet handed to the local consumers.
        Assert.Equal(["o2", "o3", "o4", "o5", "o7", "o8"], await IdsAsync(database, "SELECT message_id FROM outbox ORDER BY sequence"));
        // r1 and r6: the cloud holds them since 8 days. r5 is L2's newest (where L2 resumes), r7 was never delivered locally.
        Assert.Equal(["r2", "r3", "r4", "r5", "r7"], await IdsAsync(database, "SELECT message_id FROM replica ORDER BY local_sequence"));
        Assert.Equal(["i2"], await IdsAsync(database, "SELECT message_id FROM inbox"));
        Assert.Equal((2, 2, 1), (result.Outbox, result.Replica, result.Inbox));
        Assert.Equal(result, await RetentionPass.ReadLastAsync(new SyncLedger(database), CancellationToken.None));

        // Once delivered, o7 goes; o8 stays as the newest row, so lastSequence never falls back.
        await using (var connection = await database.OpenAsync())
        {
            await ExecuteAsync(connection, "UPDATE delivery_checkpoint SET position = 8 WHERE stream = 'outbox'");
        }

        var delivered = await pass.RunAsync(CancellationToken.None);
        Assert.Equal((1, 0, 0), (delivered.Outbox, delivered.Replica, delivered.Inbox));
        Assert.Equal(["o2", "o3", "o4", "o5", "o8"], await IdsAsync(database, "SELECT message_id FROM outbox ORDER BY sequence"));
        var again = await pass.RunAsync(CancellationToken.None);
        Assert.Equal((0, 0, 0), (again.Outbox, again.Replica, again.Inbox));
    }

    [Fact]
    public async Task Without_a_delivering_process_rows_do_not_wait_for_local_delivery()
    {
        using var file = new TempDatabase();
        var database = Ledger(file);
        var old = LedgerTime.ToText(DateTimeOffset.UtcNow.AddDays(-8));
        // A checkpoint left behind (a lane whose former consumers are gone), and no process has ever held the lease.
        await SeedAsync(database, $"""
            INSERT INTO outbox (sequence, message_id, origin_terminal, message_type, topic, content_type, body, created_at, status, cloud_acked_at) VALUES
              (1, 'o1', 'L1', 't', 'transaction', 'application/json', '{"{}"}', '{old}', 'cloud_ack', '{old}'),
              (2, 'o2', 'L1', 't', 'transaction', 'application/json', '{"{}"}', '{old}', 'cloud_ack', '{old}'),
              (3, 'o3', 'L1', 't', 'transaction', 'application/json', '{"{}"}', '{old}', 'cloud_ack', '{old}');
            INSERT INTO delivery_checkpoint (stream, position) VALUES ('outbox', 1);
            """);

        var pass = new RetentionPass(database, new SyncLedger(database), new DeliveryLeaseStore(database), Monitor(new RetentionOptions()), Options.Create(new PosBusOutboxOptions()), TimeProvider.System);
        var result = await pass.RunAsync(CancellationToken.None);

        // Everything settled goes but the newest row, checkpoint or not: nothing on this lane consumes locally.
        Assert.Equal(2, result.Outbox);
        Assert.Equal(["o3"], await IdsAsync(database, "SELECT message_id FROM outbox ORDER BY sequence"));
    }

    [Fact]
    public async Task The_running_lanes_job_removes_uploaded_rows_and_reports_it()
    {
        await using var lane = await CloudLane.StartAsync("K", """
            { "CloudSync": { "Interval": "01:00:00" }, "Retention": { "Interval": "00:00:01", "CloudAckedAge": "00:00:00" } }
            """);
        await lane.SimulateAsync(sales: 4, seed: 61);
        var waiting = await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'");
        Assert.Equal(0, (await lane.RunAsync("sync-now")).ExitCode);

        Assert.True(await Eventually.TrueAsync(async () => await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM outbox") == 1, TimeSpan.FromSeconds(30)),
            lane.ReadLog());
        var status = await lane.Http.StatusAsync();
        Assert.Equal(waiting, status["lastSequence"]!.GetValue<long>());
        Assert.Equal(1, status["counts"]!["cloud_ack"]!.GetValue<long>());
        Assert.Contains("Retention removed", lane.ReadLog(), StringComparison.Ordinal);
        Assert.True(await Eventually.TrueAsync(async () => (await lane.Http.StatusAsync())["retention"] is not null, TimeSpan.FromSeconds(10)));

        // New sales after the clean-up are untouched until the cloud holds them.
        await lane.SimulateAsync(sales: 2, seed: 62);
        var pending = await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'");
        Assert.True(pending >= 4, $"{pending} pending");
        Assert.True(await Eventually.TrueAsync(async () => (await lane.Http.StatusAsync())["retention"]!["ranAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddSeconds(-1), TimeSpan.FromSeconds(10)));
        Assert.Equal(pending, await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'"));
    }

    static IOptionsMonitor<RetentionOptions> Monitor(RetentionOptions options) =>
        new ServiceCollection().AddOptions<RetentionOptions>().Configure(o =>
        {
            o.BatchSize = options.BatchSize;
            o.CloudAckedAge = options.CloudAckedAge;
            o.InboxAge = options.InboxAge;
        }).Services.BuildServiceProvider().GetRequiredService<IOptionsMonitor<RetentionOptions>>();

    static LaneDatabase Ledger(TempDatabase file) =>
        new(Options.Create(new LaneDatabaseOptions { DataDirectory = file.DirectoryPath, FileName = file.FileName }));

    /// <summary>Creates the ledger tables and runs <paramref name="sql"/> on them.</summary>
    static async Task SeedAsync(LaneDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await LedgerSchema.EnsureCreatedAsync(connection);
        await ExecuteAsync(connection, sql);
    }

    static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    static async Task<List<string>> IdsAsync(LaneDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
