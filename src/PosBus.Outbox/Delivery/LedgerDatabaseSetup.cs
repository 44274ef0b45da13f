using Microsoft.Data.Sqlite;
using PosBus.Outbox.Ledger;
using PosBus.Outbox.Sqlite;

namespace PosBus.Outbox.Delivery;

/// <summary>
/// Creates the ledger tables (idempotent, WAL on). Call it after the POS app's own EF Core
/// <c>EnsureCreated</c>: EF skips creation when the file already holds any table.
/// </summary>
public static class LedgerDatabaseSetup
{
    public static async Task EnsureCreatedAsync(LaneDatabase database, CancellationToken cancellationToken = default)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(database.Options.DatabasePath)!);
            await using var connection = await database.OpenAsync(cancellationToken);
            await LedgerSchema.EnsureCreatedAsync(connection, cancellationToken);
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new LaneDatabaseException(database.Options.DatabasePath, exception);
        }
    }
}
