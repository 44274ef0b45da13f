using System.Collections.Concurrent;

namespace PosBus.Outbox.Delivery;

/// <summary>
/// One receive endpoint configured by <c>ConfigureEndpoints</c>, as local delivery needs to know it: the message types its
/// consumers, handlers and sagas take (so that delivery knows it must wait for this endpoint) and the consumers it hosts
/// (so that a dead letter is replayed there only).
/// </summary>
sealed class LocalEndpoint(string name, Uri inputAddress)
{
    readonly ConcurrentDictionary<string, byte> _urns = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, byte> _consumers = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public Uri InputAddress { get; } = inputAddress;

    public void Takes(string urn) => _urns.TryAdd(urn, 0);

    public void Hosts(string consumer) => _consumers.TryAdd(consumer, 0);

    public bool TakesAnyOf(IEnumerable<string> urns) => urns.Any(_urns.ContainsKey);

    public bool IsHosting(string consumer) => _consumers.ContainsKey(consumer);

    public override string ToString() => Name;
}
