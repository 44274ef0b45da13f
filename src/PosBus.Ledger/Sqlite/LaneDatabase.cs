using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace PosBus.Ledger.Sqlite;

/// <summary>
/// Opens raw connections to the lane database with the lane's pragmas, for PosBus's own hot paths
/// (ledger reads, peer copies, acks) where EF Core change tracking would only cost time.
/// </summary>
public sealed class LaneDatabase(IOptions<LaneDatabaseOptions> options)
{
    public LaneDatabaseOptions Options { get; } = options.Value;

    /// <summary>A connection whose commits are <see cref="CommitDurability.Durable"/>.</summary>
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default) => OpenAsync(CommitDurability.Durable, cancellationToken);

    /// <summary>A connection whose commits sync as <paramref name="durability"/> says.</summary>
    public async Task<SqliteConnection> OpenAsync(CommitDurability durability, CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(Options.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await SqlitePragmas.ApplyAsync(connection, Options, durability, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
