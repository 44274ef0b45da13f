namespace PosBus.Ledger.Sqlite;

/// <summary>Where the lane's SQLite database lives and how every connection to it is set up.</summary>
public sealed class LaneDatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Directory holding the lane's database file (overridden by <c>POSBUS_DATA_DIR</c>).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>File name of the lane's database inside <see cref="DataDirectory"/>.</summary>
    public string FileName { get; set; } = "posbus.db";

    /// <summary>SQLite <c>synchronous</c>: FULL (default: a sale survives power loss), NORMAL or OFF.</summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>How long a writer waits for SQLite's single write lock before failing, in ms.</summary>
    public int BusyTimeoutMs { get; set; } = 5000;

    /// <summary>How often the lane checkpoints the WAL into the database file (POS commits never checkpoint themselves).</summary>
    public TimeSpan WalCheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>WAL content in bytes from which the lane makes the WAL start over (a short RESTART checkpoint).</summary>
    public long WalCheckpointBytes { get; set; } = 16 * 1024 * 1024;

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));

    /// <summary>The connection string every PosBus component and the POS DbContext use.</summary>
    public string ConnectionString => LaneConnectionStrings.For(DatabasePath);
}
