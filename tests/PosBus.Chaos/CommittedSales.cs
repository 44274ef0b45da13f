using System.Collections.Concurrent;

namespace PosBus.Chaos;

/// <summary>
/// The driver's record: a sale id enters only when a writer printed <c>COMMITTED &lt;id&gt;</c>, i.e. after its
/// commit returned. Every id here must end up in the cloud exactly once.
/// </summary>
public sealed class CommittedSales
{
    readonly ConcurrentDictionary<Guid, byte> _ids = new();

    public int Count => _ids.Count;

    public IReadOnlyCollection<Guid> Ids => _ids.Keys.ToArray();

    /// <summary>Feeds one line of a writer's standard output.</summary>
    public void Observe(string line)
    {
        if (line.StartsWith("COMMITTED ", StringComparison.Ordinal) && Guid.TryParse(line.AsSpan(10), out var id))
        {
            _ids.TryAdd(id, 0);
        }
    }
}
