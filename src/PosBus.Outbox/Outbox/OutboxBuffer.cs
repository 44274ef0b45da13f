using System.Data.Common;
using PosBus.Ledger;

namespace PosBus.Outbox.Outbox;

/// <summary>
/// What one DI scope published through the outbox and has not committed yet, plus the inbox mark of the
/// consumer running in that scope (one per message it handles: a batch consumer handles many). Written to the scope's
/// DbContext transaction by the interceptors.
/// </summary>
sealed class OutboxBuffer
{
    readonly Lock _lock = new();
    readonly List<LedgerRow> _pending = [];
    List<LedgerRow> _written = [];
    readonly List<InboxMark> _inbox = [];

    /// <summary>The transaction the interceptor began for a save that had no transaction of its own.</summary>
    public Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? OwnTransaction { get; set; }

    /// <summary>The transaction holding rows written but not yet committed.</summary>
    public DbTransaction? WrittenIn { get; private set; }

    public bool HasWork
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count > 0 || _inbox.Count > 0;
            }
        }
    }

    /// <summary>Whether the save carries new messages (not just an inbox mark): those must be durable at commit.</summary>
    public bool HasMessages
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count > 0;
            }
        }
    }

    /// <summary>The messages waiting to be written, without taking them.</summary>
    public LedgerRow[] PendingSnapshot()
    {
        lock (_lock)
        {
            return _pending.ToArray();
        }
    }

    public void Add(LedgerRow row)
    {
        lock (_lock)
        {
            _pending.Add(row);
        }
    }

    public void MarkInbox(InboxMark mark)
    {
        lock (_lock)
        {
            _inbox.Add(mark);
        }
    }

    /// <summary>Takes what must be written now; it stays remembered until the transaction ends.</summary>
    public (IReadOnlyList<LedgerRow> Rows, IReadOnlyList<InboxMark> Inbox) TakeForWrite(DbTransaction transaction)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(WrittenIn, transaction))
            {
                _written = [];
            }

            var rows = _pending.ToArray();
            _written.AddRange(rows);
            _pending.Clear();
            var inbox = _inbox.ToArray();
            _inbox.Clear();
            WrittenIn = transaction;
            return (rows, inbox);
        }
    }

    /// <summary>The transaction committed: returns whether it carried any rows.</summary>
    public bool Committed(DbTransaction transaction)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(WrittenIn, transaction))
            {
                return false;
            }

            var any = _written.Count > 0;
            _written = [];
            WrittenIn = null;
            return any;
        }
    }

    /// <summary>A save that the outbox itself wrapped failed: keep its messages so that a retried save writes them again.</summary>
    public void Restore(IReadOnlyList<InboxMark> inbox)
    {
        lock (_lock)
        {
            _pending.InsertRange(0, _written);
            _written = [];
            WrittenIn = null;
            if (_inbox.Count == 0)
            {
                _inbox.AddRange(inbox);
            }
        }
    }

    /// <summary>Rolled back or abandoned: nothing of it may ever be delivered.</summary>
    public int Clear()
    {
        lock (_lock)
        {
            var dropped = _pending.Count;
            _pending.Clear();
            _written = [];
            WrittenIn = null;
            _inbox.Clear();
            return dropped;
        }
    }
}
