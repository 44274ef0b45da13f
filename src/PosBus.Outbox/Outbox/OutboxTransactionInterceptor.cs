using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;

namespace PosBus.Outbox.Outbox;

/// <summary>
/// Follows transactions the POS code began itself: messages published after the last save are written
/// just before its commit, a commit wakes the delivery loop, a rollback drops the scope's messages.
/// </summary>
sealed class OutboxTransactionInterceptor(OutboxBufferRegistry registry, OutboxCommitNotifier notifier) : DbTransactionInterceptor
{
    // BEGIN IMMEDIATE takes SQLite's write lock: the time EF Core reports for starting a transaction is the lock wait.
    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        SqliteWriteLock.Record(eventData.Duration);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        SqliteWriteLock.Record(eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        TransactionCommittingAsync(transaction, eventData, result).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (registry.Find(eventData.Context) is { OwnTransaction: null, HasWork: true } buffer)
        {
            var (rows, inbox) = buffer.TakeForWrite(transaction);
            await CaptureStore.WriteAsync((SqliteTransaction)transaction, rows, inbox, cancellationToken);
        }

        return result;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => OnCommitted(transaction, eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        OnCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => OnRolledBack(eventData);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        OnRolledBack(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => OnRolledBack(eventData);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        OnRolledBack(eventData);
        return Task.CompletedTask;
    }

    void OnCommitted(DbTransaction transaction, TransactionEventData eventData)
    {
        if (registry.Find(eventData.Context) is { OwnTransaction: null } buffer && buffer.Committed(transaction))
        {
            notifier.Committed();
        }
    }

    void OnRolledBack(TransactionEventData eventData)
    {
        if (registry.Find(eventData.Context) is { OwnTransaction: null } buffer)
        {
            buffer.Clear();
        }
    }
}
