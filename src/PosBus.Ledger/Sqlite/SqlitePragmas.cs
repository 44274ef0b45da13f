using System.Data.Common;

namespace PosBus.Ledger.Sqlite;

/// <summary>
/// The per-connection settings every lane connection gets, whether EF Core or PosBus opened it.
/// WAL lets readers run beside the single writer; busy_timeout turns lock waits into short waits
/// inside SQLite instead of the driver's 150 ms sleeps, and
/// <see cref="LaneBusyHandler"/> makes those waits fine-grained and lets a waiting POS writer go first.
/// </summary>
public static class SqlitePragmas
{
    static readonly string[] AllowedSynchronous = ["OFF", "NORMAL", "FULL", "EXTRA"];

    public static bool IsValidSynchronous(string value) =>
        AllowedSynchronous.Contains(value, StringComparer.OrdinalIgnoreCase);

    public static string CommandText(LaneDatabaseOptions options, CommitDurability durability = CommitDurability.Durable) =>
        $"PRAGMA busy_timeout={options.BusyTimeoutMs}; PRAGMA synchronous={Synchronous(options, durability)}; PRAGMA foreign_keys=ON; " +
        // Checkpoints run in WalCheckpointService, never inside the commit of whichever writer crossed the threshold.
        "PRAGMA wal_autocheckpoint=0; " +
        // The first commit after the WAL started over cuts the file back to this: a burst does not leave it large for good.
        $"PRAGMA journal_size_limit={JournalSizeLimit(options)};";

    /// <summary>Twice the restart threshold: the file is cut back after a burst, not after every restart of a busy lane.</summary>
    public static long JournalSizeLimit(LaneDatabaseOptions options) => options.WalCheckpointBytes * 2;

    /// <summary>The <c>synchronous</c> level for <paramref name="durability"/>: deferred commits never sync more than NORMAL.</summary>
    public static string Synchronous(LaneDatabaseOptions options, CommitDurability durability)
    {
        var configured = options.Synchronous.ToUpperInvariant();
        return durability == CommitDurability.Deferred && configured is "FULL" or "EXTRA" ? "NORMAL" : configured;
    }

    /// <summary>Sets <c>synchronous</c> for the next transaction on an open connection (never inside one: SQLite refuses).</summary>
    public static async Task SetSynchronousAsync(DbConnection connection, LaneDatabaseOptions options, CommitDurability durability, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA synchronous={Synchronous(options, durability)}";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static void Apply(DbConnection connection, LaneDatabaseOptions options)
    {
        using var command = connection.CreateCommand();
        command.CommandText = CommandText(options);
        command.ExecuteNonQuery();
        InstallBusyHandler(connection, options);
    }

    public static async Task ApplyAsync(DbConnection connection, LaneDatabaseOptions options, CancellationToken cancellationToken) =>
        await ApplyAsync(connection, options, CommitDurability.Durable, cancellationToken).ConfigureAwait(false);

    public static async Task ApplyAsync(DbConnection connection, LaneDatabaseOptions options, CommitDurability durability, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = CommandText(options, durability);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        InstallBusyHandler(connection, options);
    }

    static void InstallBusyHandler(DbConnection connection, LaneDatabaseOptions options)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            LaneBusyHandler.Install(sqlite, options.BusyTimeoutMs);
        }
    }
}
