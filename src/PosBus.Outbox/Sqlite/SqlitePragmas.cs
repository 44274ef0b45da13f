using System.Data.Common;

namespace PosBus.Outbox.Sqlite;

/// <summary>
/// The per-connection settings every lane connection gets, whether EF Core or PosBus opened it.
/// WAL lets readers run beside the single writer; busy_timeout turns lock waits into short waits
/// inside SQLite instead of the driver's 150 ms sleeps.
/// </summary>
public static class SqlitePragmas
{
    static readonly string[] AllowedSynchronous = ["OFF", "NORMAL", "FULL", "EXTRA"];

    public static bool IsValidSynchronous(string value) =>
        AllowedSynchronous.Contains(value, StringComparer.OrdinalIgnoreCase);

    public static string CommandText(LaneDatabaseOptions options) =>
        $"PRAGMA busy_timeout={options.BusyTimeoutMs}; PRAGMA synchronous={options.Synchronous.ToUpperInvariant()}; PRAGMA foreign_keys=ON;";

    public static void Apply(DbConnection connection, LaneDatabaseOptions options)
    {
        using var command = connection.CreateCommand();
        command.CommandText = CommandText(options);
        command.ExecuteNonQuery();
    }

    public static async Task ApplyAsync(DbConnection connection, LaneDatabaseOptions options, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = CommandText(options);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
