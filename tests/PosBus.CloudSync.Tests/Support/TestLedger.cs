using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;
using PosBus.TestSupport;

namespace PosBus.CloudSync.Tests.Support;

/// <summary>A real lane database file for one test, with plain-SQL helpers to seed and inspect the ledger.</summary>
public sealed class TestLedger : IDisposable
{
    readonly TempDatabase? _temp;

    public TestLedger()
        : this(new TempDatabase())
    {
    }

    TestLedger(TempDatabase temp)
        : this(temp.FilePath) => _temp = temp;

    /// <summary>Opens (creating if needed) the ledger at <paramref name="path"/>, e.g. in a child lane process; the file is not deleted.</summary>
    public TestLedger(string path)
    {
        Options = new LaneDatabaseOptions { DataDirectory = Path.GetDirectoryName(path)!, FileName = Path.GetFileName(path), Synchronous = "FULL" };
        Database = new LaneDatabase(Microsoft.Extensions.Options.Options.Create(Options));
        using var connection = Database.OpenAsync().GetAwaiter().GetResult();
        LedgerSchema.EnsureCreatedAsync(connection).GetAwaiter().GetResult();
    }

    public LaneDatabaseOptions Options { get; }

    public LaneDatabase Database { get; }

    public string FilePath => Options.DatabasePath;

    /// <summary>Own rows in the given state (peer_ack rows get a peer_acked_at).</summary>
    public async Task InsertOwnAsync(IEnumerable<LedgerRow> rows, string status = LedgerStatus.PeerAck)
    {
        await InsertAsync(rows, $"""
            INSERT INTO outbox ({LedgerRowReader.PayloadColumns}, status, peer_acked_by, peer_acked_at)
            VALUES ({LedgerRowReader.PayloadParameters}, $status, $peer, $peer_at)
            """, (command, row) =>
        {
            var acked = status == LedgerStatus.PeerAck;
            command.Parameters.AddWithValue("$status", status);
            command.Parameters.AddWithValue("$peer", acked ? "L9" : DBNull.Value);
            command.Parameters.AddWithValue("$peer_at", acked ? LedgerTime.ToText(row.CreatedAt) : DBNull.Value);
        });
    }

    /// <summary>Copies held for other lanes, as peer sync stores them.</summary>
    public async Task InsertReplicaAsync(IEnumerable<LedgerRow> rows, DateTimeOffset receivedAt)
    {
        var sequence = 0L;
        await InsertAsync(rows, $"""
            INSERT INTO replica (origin_sequence, {LedgerRowReader.PayloadColumns}, peer_acked_at, received_at)
            VALUES ($origin_sequence, {LedgerRowReader.PayloadParameters}, $received_at, $received_at)
            """, (command, _) =>
        {
            command.Parameters.AddWithValue("$origin_sequence", ++sequence);
            command.Parameters.AddWithValue("$received_at", LedgerTime.ToText(receivedAt));
        });
    }

    async Task InsertAsync(IEnumerable<LedgerRow> rows, string sql, Action<SqliteCommand, LedgerRow> bindMore)
    {
        await using var connection = await Database.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        foreach (var row in rows)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            LedgerRowReader.BindPayload(command, row);
            bindMore(command, row);
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>State of an own row: status, attempts, next attempt, last error, cloud_acked_by.</summary>
    public async Task<OwnState> OwnAsync(Guid messageId)
    {
        var states = await QueryAsync(
            "SELECT status, cloud_attempts, next_attempt_at, last_error, cloud_acked_by FROM outbox WHERE message_id = $id",
            r => new OwnState(r.GetString(0), r.GetInt32(1), LedgerTime.ParseOrNull(r.IsDBNull(2) ? null : r.GetString(2)),
                r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)),
            ("$id", messageId.ToString("D")));
        return states.Single();
    }

    public async Task<string> ReplicaStatusAsync(Guid messageId) =>
        (await QueryAsync("SELECT cloud_status FROM replica WHERE message_id = $id", r => r.GetString(0), ("$id", messageId.ToString("D")))).Single();

    public async Task<Dictionary<string, long>> CountsAsync() =>
        (await QueryAsync("SELECT status, COUNT(*) FROM outbox GROUP BY status", r => (r.GetString(0), r.GetInt64(1))))
        .ToDictionary(p => p.Item1, p => p.Item2);

    public async Task<long> CountAsync(string status) => (await CountsAsync()).GetValueOrDefault(status);

    public async Task<List<string>> AllErrorsAsync() =>
        await QueryAsync("SELECT last_error FROM outbox WHERE last_error IS NOT NULL UNION ALL SELECT value FROM lane_state", r => r.GetString(0));

    public async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object Value)[] parameters)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(map(reader));
        }

        return list;
    }

    public void Dispose() => _temp?.Dispose();
}

public sealed record OwnState(string Status, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError, string? CloudAckedBy);
