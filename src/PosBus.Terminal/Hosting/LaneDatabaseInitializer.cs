using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;

namespace PosBus.Terminal.Hosting;

/// <summary>
/// Makes sure the lane's database can be used before anything else touches it: the directory exists and
/// is writable, the file is a healthy SQLite database, the ledger tables exist (and no other: the lane has no POS tables).
/// Problems become <see cref="LaneDatabaseException"/>s with a message an operator can act on.
/// </summary>
public sealed class LaneDatabaseInitializer(IOptions<LaneDatabaseOptions> options, LaneDatabase database)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var path = options.Value.DatabasePath;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LaneDatabaseException(path, e);
        }

        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await CheckHealthAsync(connection, path, cancellationToken);
            await LedgerSchema.EnsureCreatedAsync(connection, cancellationToken);
        }
        catch (SqliteException e)
        {
            throw new LaneDatabaseException(path, e);
        }
    }

    static async Task CheckHealthAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check";
        var result = await command.ExecuteScalarAsync(cancellationToken) as string;
        if (!string.Equals(result, "ok", StringComparison.Ordinal))
        {
            throw new LaneDatabaseException(path, new InvalidDataException($"the database is damaged (quick_check: {result}). Restore it from a peer or a backup."));
        }
    }
}
