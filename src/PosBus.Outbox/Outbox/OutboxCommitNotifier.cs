using PosBus.Ledger;

namespace PosBus.Outbox.Outbox;

/// <summary>Wakes everything that waits for new own rows once a transaction holding them has committed.</summary>
sealed class OutboxCommitNotifier(LedgerSignals signals)
{
    public void Committed() => signals.OutboxCommitted.Pulse();
}
