using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PosBus.Outbox.Outbox;

using PosBus.Ledger.Sqlite;

namespace PosBus.Outbox.Sqlite;

/// <summary>
/// EF Core's side of <see cref="LaneWriterRole"/>, for transactions a background flow begins (a consumer run by local
/// delivery): first give way to a POS writer waiting for the lock, then commit <see cref="CommitDurability.Deferred"/>
/// unless the save carries new messages (those are about to travel to peers and must not vanish in a power cut).
/// POS transactions pass through untouched.
/// </summary>
sealed class BackgroundWriterInterceptor(OutboxBufferRegistry registry, LaneDatabaseOptions options) : DbTransactionInterceptor
{
    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (LaneWriterRole.IsBackground)
        {
            await LaneBusyHandler.GiveWayAsync(connection.DataSource, cancellationToken).ConfigureAwait(false);
            // Set both ways: the connection may stay open for another save of the same consumer. Every open of a lane
            // connection starts durable again (SqlitePragmaInterceptor), so a POS transaction never inherits this.
            var durability = registry.Find(eventData.Context) is { HasMessages: true } ? CommitDurability.Durable : CommitDurability.Deferred;
            await SqlitePragmas.SetSynchronousAsync(connection, options, durability, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
