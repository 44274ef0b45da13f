using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        var context = eventData.Context;
        var buffer = registry.Find(context);
        if (context is null || buffer is null || !buffer.HasWork)
        {
            return result;
        }

        RefuseOversized(buffer);
        if (context.Database.CurrentTransaction is null)
        {
            buffer.OwnTransaction = await context.Database.BeginTransactionAsync(cancellationToken);
        }

        var transaction = (SqliteTransaction)context.Database.CurrentTransaction!.GetDbTransaction();
        var (rows, inbox) = buffer.TakeForWrite(transaction);
        try
        {
            await CaptureStore.WriteAsync(transaction, rows, inbox, cancellationToken);
        }
        catch
        {
            buffer.Restore(inbox);
            await EndOwnTransactionAsync(buffer, commit: false, CancellationToken.None);
            throw;
        }

        return result;
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

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SavedChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (registry.Find(eventData.Context) is { OwnTransaction: not null } buffer)
        {
            await EndOwnTransactionAsync(buffer, commit: true, cancellationToken);
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) =>
        SaveChangesFailedAsync(eventData).GetAwaiter().GetResult();

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (registry.Find(eventData.Context) is { OwnTransaction: not null } buffer)
        {
            buffer.Restore([]);
            await EndOwnTransactionAsync(buffer, commit: false, CancellationToken.None);
        }
    }

    async Task EndOwnTransactionAsync(OutboxBuffer buffer, bool commit, CancellationToken cancellationToken)
    {
        var own = buffer.OwnTransaction;
        if (own is null)
        {
            return;
        }

        // OwnTransaction stays set until the end so that the transaction interceptor leaves this one to us.
        try
        {
            var transaction = own.GetDbTransaction();
            if (commit)
            {
                await own.CommitAsync(cancellationToken);
                if (buffer.Committed(transaction))
                {
                    notifier.Committed();
                }
            }
            else
            {
                await own.RollbackAsync(cancellationToken);
            }
        }
        finally
        {
            buffer.OwnTransaction = null;
            await own.DisposeAsync();
        }
    }
}
