using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Sqlite;

namespace PosBus.Operations;

/// <summary>Puts the app's DbContext on the lane database, where the ledger lives: a publish and the app's rows share one transaction only in one file.</summary>
public static class PosBusDbContextOptionsExtensions
{
    /// <summary>
    /// <c>UseSqlite</c> on section <c>Database</c>'s file, with the connection settings every PosBus component uses. The
    /// file's folder (by default <c>data/&lt;TerminalId&gt;</c>) is created if missing, so that an app's first
    /// <c>EnsureCreated</c> or migration at start does not fail on a fresh machine.
    /// </summary>
    public static DbContextOptionsBuilder UsePosBusSqlite(this DbContextOptionsBuilder options, IServiceProvider services)
    {
        var database = services.GetRequiredService<IOptions<LaneDatabaseOptions>>().Value;
        Directory.CreateDirectory(Path.GetDirectoryName(database.DatabasePath)!);
        return options.UseSqlite(database.ConnectionString);
    }
}
