namespace PosBus.Contracts;

/// <summary>
/// What every POS message carries so that a lane, its peers and the cloud can agree on identity.
/// The message id doubles as the MassTransit message id, the ledger key and the cloud's dedup key.
/// </summary>
public interface IPosMessage
{
    /// <summary>Unique, generated once when the change happens; never reused.</summary>
    Guid MessageId { get; }

    /// <summary>The lane (terminal) where the change happened.</summary>
    string TerminalId { get; }

    /// <summary>When the change happened, UTC.</summary>
    DateTimeOffset OccurredAt { get; }
}
