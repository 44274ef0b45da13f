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

    // Synchronous on both paths: the sync one must not wait on async work (a UI thread's SynchronizationContext), and
    // Microsoft.Data.Sqlite runs the INSERTs synchronously either way.
    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        WriteBuffered(transaction, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        WriteBuffered(transaction, eventData);
        return ValueTask.FromResult(result);
    }

    void WriteBuffered(DbTransaction transaction, TransactionEventData eventData)
    {
        if (registry.Find(eventData.Context) is { OwnTransaction: null, HasWork: true } buffer)
        {
            var (rows, inbox) = buffer.TakeForWrite(transaction);
            CaptureStore.Write((SqliteTransaction)transaction, rows, inbox);
        }
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
