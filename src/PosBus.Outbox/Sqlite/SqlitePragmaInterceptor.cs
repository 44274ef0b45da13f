using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

using PosBus.Ledger.Sqlite;

namespace PosBus.Outbox.Sqlite;

/// <summary>Applies <see cref="SqlitePragmas"/> to every connection EF Core opens for a POS DbContext.</summary>
public sealed class SqlitePragmaInterceptor(LaneDatabaseOptions options) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        SqlitePragmas.Apply(connection, options);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        SqlitePragmas.ApplyAsync(connection, options, cancellationToken);
}
