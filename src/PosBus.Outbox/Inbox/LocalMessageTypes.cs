using System.Collections.Concurrent;
using MassTransit;

namespace PosBus.Outbox.Inbox;

/// <summary>
/// The message types that something on this lane's bus consumes, recorded while <c>ConfigureEndpoints</c> configures its
/// consumers, handlers and sagas. Local delivery hands a ledger row to the bus only when one of the row's message types
/// (its own or an interface it implements) is among them: serializing, dispatching and dropping a sale that nothing in the
/// lane consumes costs CPU the tills need. A saga makes every type count as consumed (a state machine's events are not
/// all visible at configuration), and so does <see cref="Configuration.PosBusOutboxOptions.DeliverOnlyConsumedTypes"/> off.
/// </summary>
sealed class LocalMessageTypes(IEnumerable<PosBus.Ledger.BusOnlyMessageType> busOnly)
{
    readonly HashSet<string> _busOnly = busOnly.Select(t => MessageUrn.ForTypeString(t.MessageType)).ToHashSet(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, byte> _consumed = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, bool> _decisions = new(StringComparer.Ordinal);
    volatile bool _everything;

    public void Consumed(Type messageType)
    {
        var urn = MessageUrn.ForTypeString(messageType);
        if (_busOnly.Contains(urn))
        {
            return;
        }

        _consumed.TryAdd(urn, 0);
        _decisions.Clear();
    }

    public void ConsumedAll()
    {
        _everything = true;
        _decisions.Clear();
    }

    public bool TakesAll => _everything;

    /// <summary>Whether <paramref name="messageType"/> never travels through the ledger (<see cref="PosBus.Ledger.BusOnlyMessageType"/>).</summary>
    public bool IsBusOnly(Type messageType) => _busOnly.Contains(MessageUrn.ForTypeString(messageType));

    /// <summary>Whether anything on this bus consumes ledger messages at all; if not, this process runs no local delivery.</summary>
    public bool TakesAny => _everything || !_consumed.IsEmpty;

    public IReadOnlyCollection<string> Urns => _consumed.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Whether a row whose <c>message_type</c> column reads <paramref name="messageTypes"/> has a local consumer.</summary>
    public bool Takes(string messageTypes) =>
        _everything || _decisions.GetOrAdd(messageTypes, static (types, consumed) =>
            types.Split(';', StringSplitOptions.RemoveEmptyEntries).Any(consumed.ContainsKey), _consumed);
}
