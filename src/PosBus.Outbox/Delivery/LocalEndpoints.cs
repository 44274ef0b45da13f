using System.Collections.Concurrent;

namespace PosBus.Outbox.Delivery;

/// <summary>
/// The receive endpoints of this process's bus that <c>ConfigureEndpoints</c> configured (recorded while it does), and
/// which of them a ledger row reaches: its own destination queue when it was sent to one, else every endpoint taking one
/// of its message types (the in-memory transport's publish topology). Delivery waits for exactly those to complete the
/// row before its position may pass it. Endpoints wired by hand are not known here, so nothing waits for them.
/// </summary>
sealed class LocalEndpoints
{
    readonly ConcurrentDictionary<string, LocalEndpoint> _byPath = new(StringComparer.OrdinalIgnoreCase);
    readonly ConcurrentDictionary<string, LocalEndpoint[]> _byTypes = new(StringComparer.Ordinal);

    public LocalEndpoint Add(string name, Uri inputAddress)
    {
        _byTypes.Clear();
        return _byPath.GetOrAdd(PathOf(inputAddress), _ => new LocalEndpoint(name, inputAddress));
    }

    /// <summary>The endpoints that receive a row with message types <paramref name="messageTypes"/> sent to <paramref name="destination"/>.</summary>
    public IReadOnlyList<LocalEndpoint> Reached(string messageTypes, Uri destination)
    {
        if (_byPath.TryGetValue(PathOf(destination), out var queue))
        {
            return [queue];
        }

        return _byTypes.GetOrAdd(messageTypes, static (types, all) =>
        {
            var urns = types.Split(';', StringSplitOptions.RemoveEmptyEntries);
            return all.Values.Where(e => e.TakesAnyOf(urns)).OrderBy(e => e.Name, StringComparer.Ordinal).ToArray();
        }, _byPath);
    }

    /// <summary>The endpoints hosting <paramref name="consumer"/> (a full type name).</summary>
    public IReadOnlyList<LocalEndpoint> Hosting(string consumer) => _byPath.Values.Where(e => e.IsHosting(consumer)).ToArray();

    static string PathOf(Uri address) => address.AbsolutePath.Trim('/');
}
