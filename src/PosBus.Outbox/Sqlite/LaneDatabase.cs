using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace PosBus.Outbox.Sqlite;

/// <summary>
/// Opens raw connections to the lane database with the lane's pragmas, for PosBus's own hot paths
/// (ledger reads, peer copies, acks) where EF Core change tracking would only cost time.
/// </summary>
public sealed class LaneDatabase(IOptions<LaneDatabaseOptions> options)
{
    public LaneDatabaseOptions Options { get; } = options.Value;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(Options.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await SqlitePragmas.ApplyAsync(connection, Options, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
