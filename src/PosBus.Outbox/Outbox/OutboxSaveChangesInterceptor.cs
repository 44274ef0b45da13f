using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using PosBus.Ledger;
using PosBus.Ledger.Stores;

namespace PosBus.Outbox.Outbox;

/// <summary>
/// Puts the scope's buffered messages into the same SQLite transaction as the domain rows of a save.
/// Inside a transaction the caller began, the rows join it; otherwise this interceptor begins the
/// transaction itself (so a save with only messages still writes them) and commits it after EF is done. A message that
/// no peer or cloud could ever take (<see cref="IMessageSizeLimit"/>) fails the save before anything is written.
/// </summary>
sealed class OutboxSaveChangesInterceptor(OutboxBufferRegistry registry, OutboxCommitNotifier notifier, IEnumerable<IMessageSizeLimit> limits) : SaveChangesInterceptor
{
    readonly IMessageSizeLimit[] _limits = [.. limits];

    // The synchronous overrides never wait on the asynchronous ones: a till calling SaveChanges on its UI thread
    // (WPF, WinForms) would deadlock if a continuation needed that thread back.
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (WithWork(eventData.Context) is { } buffer)
        {
            RefuseOversized(buffer);
            var database = eventData.Context!.Database;
            if (database.CurrentTransaction is null)
            {
                buffer.OwnTransaction = database.BeginTransaction();
            }

            Capture(database, buffer);
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (WithWork(eventData.Context) is { } buffer)
        {
            RefuseOversized(buffer);
            var database = eventData.Context!.Database;
            if (database.CurrentTransaction is null)
            {
                buffer.OwnTransaction = await database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            Capture(database, buffer);
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (registry.Find(eventData.Context) is { OwnTransaction: { } own } buffer)
        {
            EndOwnTransaction(buffer, own, commit: true);
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (registry.Find(eventData.Context) is { OwnTransaction: { } own } buffer)
        {
            await EndOwnTransactionAsync(buffer, own, commit: true, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (registry.Find(eventData.Context) is { OwnTransaction: { } own } buffer)
        {
            buffer.Restore([]);
            EndOwnTransaction(buffer, own, commit: false);
        }
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (registry.Find(eventData.Context) is { OwnTransaction: { } own } buffer)
        {
            buffer.Restore([]);
            await EndOwnTransactionAsync(buffer, own, commit: false, CancellationToken.None).ConfigureAwait(false);
        }
    }

    void RefuseOversized(OutboxBuffer buffer)
    {
        foreach (var row in buffer.PendingSnapshot())
        {
            foreach (var limit in _limits)
            {
                if (limit.Refuse(row) is { } reason)
                {
                    throw new MessageTooLargeException($"Nothing was saved: {reason}.");
                }
            }
        }
    }

    OutboxBuffer? WithWork(DbContext? context) =>
        context is not null && registry.Find(context) is { HasWork: true } buffer ? buffer : null;

    /// <summary>Writes the buffered rows in the save's transaction; on failure the scope keeps its messages and our own transaction is rolled back.</summary>
    void Capture(DatabaseFacade database, OutboxBuffer buffer)
    {
        var transaction = (SqliteTransaction)database.CurrentTransaction!.GetDbTransaction();
        var (rows, inbox) = buffer.TakeForWrite(transaction);
        try
        {
            CaptureStore.Write(transaction, rows, inbox);
        }
        catch
        {
            buffer.Restore(inbox);
            if (buffer.OwnTransaction is { } own)
            {
                EndOwnTransaction(buffer, own, commit: false);
            }

            throw;
        }
    }

    // OwnTransaction stays set until the end so that the transaction interceptor leaves this one to us.
    void EndOwnTransaction(OutboxBuffer buffer, IDbContextTransaction own, bool commit)
    {
        try
        {
            if (commit)
            {
                own.Commit();
                NotifyIfCommitted(buffer, own);
            }
            else
            {
                own.Rollback();
            }
        }
        finally
        {
            buffer.OwnTransaction = null;
            own.Dispose();
        }
    }

    async Task EndOwnTransactionAsync(OutboxBuffer buffer, IDbContextTransaction own, bool commit, CancellationToken cancellationToken)
    {
        try
        {
            if (commit)
            {
                await own.CommitAsync(cancellationToken).ConfigureAwait(false);
                NotifyIfCommitted(buffer, own);
            }
            else
            {
                await own.RollbackAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            buffer.OwnTransaction = null;
            await own.DisposeAsync().ConfigureAwait(false);
        }
    }

    void NotifyIfCommitted(OutboxBuffer buffer, IDbContextTransaction own)
    {
        if (buffer.Committed(own.GetDbTransaction()))
        {
            notifier.Committed();
        }
    }
}
