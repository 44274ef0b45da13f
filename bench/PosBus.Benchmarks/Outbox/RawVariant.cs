using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Ledger;
using PosBus.Ledger.Sqlite;

namespace PosBus.Benchmarks.Outbox;

/// <summary>(d) The floor: raw Microsoft.Data.Sqlite, prepared commands, the sale, its lines and 4 ledger rows in one transaction.</summary>
sealed class RawVariant(string databasePath) : IBenchVariant
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    SqliteConnection? _connection;
    SqliteCommand? _sale, _line, _ledger;

    public string Name => "d:raw";

    public async Task StartAsync()
    {
        var options = new LaneDatabaseOptions { DataDirectory = Path.GetDirectoryName(databasePath)!, FileName = Path.GetFileName(databasePath) };
        var services = new ServiceCollection();
        services.AddDbContext<BenchDbContext>(o => o.UseSqlite(options.ConnectionString));
        await using (var provider = services.BuildServiceProvider())
        {
            await BenchDatabase.CreateAsync(provider, options);
        }

        _connection = await new LaneDatabase(Microsoft.Extensions.Options.Options.Create(options)).OpenAsync();
        _sale = Prepare("INSERT INTO Sales (Id, ReceiptNumber, CashierId, TotalMinor, CreatedAt) VALUES ($0, $1, $2, $3, $4)", 5);
        _line = Prepare("INSERT INTO SaleLines (SaleId, Sku, Quantity, UnitPriceMinor) VALUES ($0, $1, $2, $3)", 4);
        _ledger = Prepare(
            "INSERT INTO outbox (message_id, origin_terminal, message_type, topic, content_type, body, created_at) VALUES ($0, $1, $2, $3, $4, $5, $6)", 7);
    }

    public async Task SaleAsync()
    {
        var sale = BenchSales.New();
        await using var transaction = (SqliteTransaction)await _connection!.BeginTransactionAsync();
        await ExecuteAsync(_sale!, transaction, sale.Id.ToString("D"), sale.ReceiptNumber, sale.CashierId, sale.TotalMinor, LedgerTime.ToText(sale.CreatedAt));
        foreach (var line in sale.Lines)
        {
            await ExecuteAsync(_line!, transaction, sale.Id.ToString("D"), line.Sku, line.Quantity, line.UnitPriceMinor);
        }

        var completed = BenchSales.Completed(sale);
        await Ledger(transaction, completed.MessageId, "urn:message:PosBus.Contracts:SaleCompleted", "transaction", JsonSerializer.Serialize(completed, Json));
        foreach (var adjustment in BenchSales.Adjustments(sale))
        {
            await Ledger(transaction, adjustment.MessageId, "urn:message:PosBus.Contracts:InventoryAdjusted", "inventory", JsonSerializer.Serialize(adjustment, Json));
        }

        await transaction.CommitAsync();
    }

    Task Ledger(SqliteTransaction transaction, Guid id, string type, string topic, string body) =>
        ExecuteAsync(_ledger!, transaction, id.ToString("D"), "L1", type, topic, "application/json", body, LedgerTime.ToText(DateTimeOffset.UtcNow));

    static async Task ExecuteAsync(SqliteCommand command, SqliteTransaction transaction, params object[] values)
    {
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        await command.ExecuteNonQueryAsync();
    }

    SqliteCommand Prepare(string sql, int parameters)
    {
        var command = _connection!.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter($"${i}", DBNull.Value));
        }

        command.Prepare();
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
