using Microsoft.Data.Sqlite;

namespace PosBus.Ledger.Sqlite;

/// <summary>Builds the one connection string shape PosBus uses for a lane database.</summary>
public static class LaneConnectionStrings
{
    public static string For(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        // Waits are done by PRAGMA busy_timeout inside SQLite (fine-grained); the driver's own retry sleeps 150 ms steps.
        DefaultTimeout = 30,
    }.ToString();
}
