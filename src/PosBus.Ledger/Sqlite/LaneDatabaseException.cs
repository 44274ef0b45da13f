using Microsoft.Data.Sqlite;

namespace PosBus.Ledger.Sqlite;

/// <summary>The lane database cannot be used at all (unwritable, corrupt, not a database): say which file and why.</summary>
public sealed class LaneDatabaseException(string databasePath, Exception inner)
    : Exception($"Lane database '{databasePath}' cannot be used: {Reason(inner)}", inner)
{
    public string DatabasePath { get; } = databasePath;

    static string Reason(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 26 } => "the file is not a SQLite database or is corrupt (SQLITE_NOTADB). Restore it from a peer or a backup, or move it away to start empty.",
        SqliteException { SqliteErrorCode: 11 } => "the database file is corrupt (SQLITE_CORRUPT). Restore it from a peer or a backup.",
        SqliteException { SqliteErrorCode: 8 or 14 } => "the file or its directory is not writable (check permissions and free space).",
        UnauthorizedAccessException or IOException => $"the directory cannot be created or written ({exception.Message}).",
        SqliteException sqlite => $"{sqlite.Message}",
        _ => exception.Message,
    };
}
