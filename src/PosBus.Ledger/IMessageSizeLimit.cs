namespace PosBus.Ledger;

/// <summary>
/// A size limit on the way a ledger row travels (a peer batch frame, a cloud request). The outbox checks every new
/// message against each registered limit before anything is committed: a message that could never be replicated or
/// uploaded is refused in the POS code's <c>SaveChangesAsync</c>, instead of blocking a stream later.
/// </summary>
public interface IMessageSizeLimit
{
    /// <summary>Null when <paramref name="row"/> fits; else why not, naming the configuration key of the limit.</summary>
    string? Refuse(LedgerRow row);
}
