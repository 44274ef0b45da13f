using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using PosBus.TestSupport;

namespace PosBus.Ledger.Tests;

/// <summary>A lane database on a real temp file with the ledger schema, and the few helpers the store tests share.</summary>
public sealed class LedgerFile : IDisposable
{
    readonly TempDatabase _file = new();

    public LedgerFile() =>
        Database = new LaneDatabase(Options.Create(new LaneDatabaseOptions { DataDirectory = _file.DirectoryPath, FileName = _file.FileName }));

    public LaneDatabase Database { get; }

    public string Path => _file.FilePath;

    public Task MigrateAsync() => LedgerDatabaseSetup.EnsureCreatedAsync(Database);

    /// <summary>Captures <paramref name="rows"/> as a POS save would: on its own transaction, committed.</summary>
    public async Task CaptureAsync(params LedgerRow[] rows)
    {
        await using var connection = await Database.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        CaptureStore.Write(transaction, rows, []);
        await transaction.CommitAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static LedgerRow Row(string origin, long sequence, DateTimeOffset createdAt, string topic = "transaction") => new()
    {
        Sequence = sequence,
        MessageId = Guid.NewGuid(),
        OriginTerminal = origin,
        MessageType = "urn:message:PosBus.Contracts:SaleCompleted",
        Topic = topic,
        ContentType = "application/json",
        Body = $$"""{"saleId":"{{Guid.NewGuid()}}","n":{{sequence}}}""",
        CreatedAt = createdAt,
    };

    public void Dispose() => _file.Dispose();
}
