using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Schema;

/// <summary>
/// Makes the lane database ready for the ledger: its directory exists, then <see cref="LedgerSchema.EnsureCreatedAsync"/>
/// creates or upgrades the tables (WAL on). Call it after the POS app's own EF Core <c>EnsureCreated</c>: EF skips
/// creation when the file already holds any table. An unusable file becomes a <see cref="LaneDatabaseException"/>.
/// </summary>
public static class LedgerDatabaseSetup
{
    public static async Task EnsureCreatedAsync(LaneDatabase database, CancellationToken cancellationToken = default)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(database.Options.DatabasePath)!);
            using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await LedgerSchema.EnsureCreatedAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new LaneDatabaseException(database.Options.DatabasePath, exception);
        }
    }
}
