using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Sqlite;
using PosBus.Outbox.Sqlite;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

/// <summary>
/// SQLite's write lock is not fair: PosBus's own writers give way to a POS writer that waits, through the busy handler
/// and the database's beacon. Real files, real connections; "holder" plays whoever holds the lock at the moment.
/// </summary>
public sealed class When_writers_wait_for_the_write_lock : IDisposable
{
    readonly TempDatabase _file = new();
    readonly LaneDatabase _database;

    public When_writers_wait_for_the_write_lock()
    {
        _database = new LaneDatabase(Options.Create(new LaneDatabaseOptions { DataDirectory = _file.DirectoryPath, FileName = _file.FileName }));
        using var connection = new SqliteConnection(_database.Options.ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; CREATE TABLE t (writer TEXT NOT NULL, payload BLOB);");
    }

    [Fact]
    public async Task A_waiting_POS_writer_lights_the_beacon()
    {
        await using var holder = await HoldLockAsync();
        await using var pos = await _database.OpenAsync();
        var waiting = Task.Run(() => Write(pos, "pos"));

        var beacon = ForegroundBeacon.For(_database.Options.DatabasePath);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(beacon.IsLit), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(1)),
            "a POS writer waited for the lock without lighting the beacon: the lane busy handler is not installed");
        Execute(holder, "COMMIT");
        await waiting;
    }

    [Fact]
    public async Task A_background_writer_lets_a_waiting_POS_writer_go_first()
    {
        // Without priority either waiter wins about half the time; ten rounds in a row cannot pass by luck. The order is
        // read from the rows each writer inserted while it held the lock: a thread noting "done" after its commit can be
        // overtaken by the next lock holder (seen in CI), which says nothing about who got the lock first.
        // Both writers block in SQLite's lock wait, so each gets its own thread: on thread-pool threads they held up the
        // test's 30 ms timer (up to 1.8 s, see tests/Directory.Build.props) and the background writer outwaited its
        // 100 ms give-way limit, then raced the POS writer on equal terms.
        var beacon = ForegroundBeacon.For(_database.Options.DatabasePath);
        for (var round = 0; round < 10; round++)
        {
            await using var holder = await HoldLockAsync();
            Execute(holder, "DELETE FROM t");
            await using var pos = await _database.OpenAsync();
            await using var background = await _database.OpenAsync(CommitDurability.Deferred);

            // The last round's POS writer stamped the beacon moments ago: only a dark beacon turning lit shows that this
            // round's POS writer is waiting.
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(!beacon.IsLit), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(1)));
            var posWrite = OnOwnThread(() => Write(pos, "pos"));
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(beacon.IsLit), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(1)));
            var backgroundWrite = OnOwnThread(() =>
            {
                using var transaction = SqliteWriteLock.BeginAsync(background, CancellationToken.None).GetAwaiter().GetResult();
                Insert(background, transaction, "background");
                transaction.Commit();
            });
            await Task.Delay(30);

            Execute(holder, "COMMIT");
            await Task.WhenAll(posWrite, backgroundWrite);
            Assert.Equal(["pos", "background"], Writers(pos));
        }
    }

    [Fact]
    public async Task Background_bookkeeping_commits_deferred_and_everything_else_durable()
    {
        await using var durable = await _database.OpenAsync();
        await using var deferred = await _database.OpenAsync(CommitDurability.Deferred);

        Assert.Equal(2L, Scalar(durable, "PRAGMA synchronous"));
        Assert.Equal(1L, Scalar(deferred, "PRAGMA synchronous"));
        Assert.Equal(0L, Scalar(durable, "PRAGMA wal_autocheckpoint"));
    }

    [Fact]
    public async Task Only_the_checkpoint_service_moves_the_WAL_into_the_database_file()
    {
        var options = _database.Options;
        options.WalCheckpointInterval = TimeSpan.FromMilliseconds(50);

        // SQLite checkpoints when the last connection to a database closes. Tests running beside this one clear every
        // connection pool when they finish (TempDatabase), which closes the writer's pooled connection for real; this
        // unpooled connection stays open so only a commit could move the WAL, which is what is under test.
        using var bystander = new SqliteConnection(new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ToString());
        bystander.Open();
        Scalar(bystander, "SELECT count(*) FROM t"); // a connection joins the WAL's shared memory on its first read
        // 6 MB through the WAL, past SQLite's default automatic checkpoint (1,000 pages = 4 MB at 4 KB pages): a
        // connection without wal_autocheckpoint=0 would have copied it into the file by now.
        const int rows = 192, payloadBytes = 32 * 1024;
        await using (var writer = await _database.OpenAsync())
        {
            for (var i = 0; i < rows; i++)
            {
                Execute(writer, $"INSERT INTO t (writer, payload) VALUES ('pos', randomblob({payloadBytes}))");
            }
        }

        SqliteConnection.ClearAllPools(); // what a neighbour test does at any moment, done here every run

        var databaseFile = new FileInfo(options.DatabasePath);
        Assert.True(databaseFile.Length < 512 * 1024, $"a commit checkpointed the WAL itself (database file {databaseFile.Length} bytes)");

        using var service = new WalCheckpointService(_database, NullLogger<WalCheckpointService>.Instance);
        await service.StartAsync(CancellationToken.None);
        var moved = await Eventually.TrueAsync(() => { databaseFile.Refresh(); return Task.FromResult(databaseFile.Length > rows * payloadBytes); }, TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None);
        Assert.True(moved, $"the checkpoint service left the WAL alone (database file {databaseFile.Length} bytes)");
    }

    async Task<SqliteConnection> HoldLockAsync()
    {
        var holder = await _database.OpenAsync();
        Execute(holder, "BEGIN IMMEDIATE");
        return holder;
    }

    static Task OnOwnThread(Action write) =>
        Task.Factory.StartNew(write, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    static void Write(SqliteConnection connection, string writer)
    {
        using var transaction = connection.BeginTransaction();
        Insert(connection, transaction, writer);
        transaction.Commit();
    }

    static void Insert(SqliteConnection connection, SqliteTransaction transaction, string writer)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO t (writer) VALUES ($writer)";
        command.Parameters.AddWithValue("$writer", writer);
        command.ExecuteNonQuery();
    }

    /// <summary>The writers in the order their rows were inserted, i.e. the order they held the write lock.</summary>
    static string[] Writers(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT writer FROM t ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var writers = new List<string>();
        while (reader.Read())
        {
            writers.Add(reader.GetString(0));
        }

        return [.. writers];
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose() => _file.Dispose();
}
